using MedOps.ModelInitializer.Paths;

namespace MedOps.ModelInitializer.Tests.Unit;

public sealed class RealPathTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Dot_dot_after_a_link_goes_to_the_targets_parent_as_the_kernel_does()
    {
        Directory.CreateDirectory(_folder.Join("x/y/z"));
        Directory.CreateSymbolicLink(_folder.Join("link"), _folder.Join("x/y/z"));
        var root = RealPath.Resolve(_folder.Path);

        Assert.Equal(Path.Join(root, "x/y"), RealPath.Resolve(_folder.Join("link/..")));
        // What a lexical fold would wrongly say: the folder that holds the link.
        Assert.Equal(_folder.Path, Path.GetFullPath(_folder.Join("link/..")));
    }

    [Fact]
    public void Chains_of_relative_and_absolute_links_are_followed()
    {
        var target = _folder.Write("data/w.bin", "w");
        File.CreateSymbolicLink(_folder.Join("abs"), target);
        File.CreateSymbolicLink(_folder.Join("rel"), "abs");

        Assert.Equal(RealPath.Resolve(target), RealPath.Resolve(_folder.Join("rel")));
        Assert.Null(new FileInfo(RealPath.Resolve(_folder.Join("rel"))).LinkTarget);
    }

    [Fact]
    public void A_loop_throws()
    {
        File.CreateSymbolicLink(_folder.Join("a"), "b");
        File.CreateSymbolicLink(_folder.Join("b"), "a");

        Assert.Throws<IOException>(() => RealPath.Resolve(_folder.Join("a")));
    }

    [Theory]
    [InlineData("/mnt/models", "/mnt/models", true)]
    [InlineData("/mnt/models/a", "/mnt/models", true)]
    [InlineData("/mnt/models-evil/a", "/mnt/models", false)]
    [InlineData("/mnt", "/mnt/models", false)]
    [InlineData("/etc", "/", true)]
    public void Inside_means_the_root_or_below_it(string path, string root, bool inside) =>
        Assert.Equal(inside, RealPath.IsInside(path, root));
}
