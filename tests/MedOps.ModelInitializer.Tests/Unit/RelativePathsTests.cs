using MedOps.ModelInitializer.Downloads;
using MedOps.ModelInitializer.Failures;
using MedOps.ModelInitializer.Fetchers;
using MedOps.ModelInitializer.Paths;

namespace MedOps.ModelInitializer.Tests.Unit;

public sealed class RelativePathsTests
{
    [Theory]
    [InlineData("model.bin", "model.bin")]
    [InlineData("a/b/c.bin", "a/b/c.bin")]
    [InlineData("..hidden/x", "..hidden/x")]
    [InlineData("cafe\u0301.bin", "caf\u00e9.bin")]
    public void Safe_paths_pass_in_nfc(string path, string expected) => Assert.Equal(expected, RelativePaths.Check(path, "k"));

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("a/..")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("./a")]
    [InlineData("")]
    [InlineData("a\nb")]
    public void Paths_that_escape_or_are_ambiguous_are_unsafe(string path)
    {
        var failure = Assert.Throws<FetchFailure>(() => RelativePaths.Check(path, "s3://b/p/: the key"));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
    }

    [Fact]
    public void A_prefix_keeps_keys_relative_to_it_and_skips_folder_markers()
    {
        var files = ObjectTree.Plan("s3://b/m/", "m/", [new("m/", 0), new("m/a.bin", 3), new("m/sub/", 0), new("m/sub/b.bin", 4)], new ByteBudget(100));

        Assert.Equal([new PlannedFile("m/a.bin", "a.bin", 3), new PlannedFile("m/sub/b.bin", "sub/b.bin", 4)], files);
    }

    [Fact]
    public void A_key_that_climbs_out_of_the_prefix_is_refused_before_anything_is_written()
    {
        var failure = Assert.Throws<FetchFailure>(() => ObjectTree.Plan("s3://b/m/", "m/", [new("m/a.bin", 1), new("m/../../evil", 1)], new ByteBudget(100)));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
        Assert.Contains("m/../../evil", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absolute_key_under_the_prefix_is_refused()
    {
        var failure = Assert.Throws<FetchFailure>(() => ObjectTree.Plan("s3://b/", "", [new("/etc/cron.d/x", 1)], new ByteBudget(100)));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
    }

    [Fact]
    public void A_file_that_is_also_a_folder_is_refused()
    {
        var failure = Assert.Throws<FetchFailure>(() => ObjectTree.Plan("s3://b/", "", [new("a", 1), new("a/b", 1)], new ByteBudget(100)));

        Assert.Equal(FailureReason.UnsafeContent, failure.Reason);
    }

    [Fact]
    public void An_empty_prefix_is_not_found()
    {
        var failure = Assert.Throws<FetchFailure>(() => ObjectTree.Plan("s3://b/m/", "m/", [new("m/", 0), new("other", 1)], new ByteBudget(100)));

        Assert.Equal(FailureReason.SourceNotFound, failure.Reason);
    }

    [Fact]
    public void A_listing_larger_than_the_budget_is_too_large_up_front()
    {
        var failure = Assert.Throws<FetchFailure>(() => ObjectTree.Plan("s3://b/", "", [new("a", 60), new("b", 60)], new ByteBudget(100)));

        Assert.Equal(FailureReason.TooLarge, failure.Reason);
    }
}
