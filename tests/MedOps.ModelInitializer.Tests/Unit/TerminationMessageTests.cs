using System.Text;
using MedOps.ModelInitializer.Downloads;
using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Tests.Unit;

public sealed class TerminationMessageTests
{
    [Theory]
    [InlineData(nameof(FailureReason.DigestMismatch), "expected sha256:aa actual sha256:bb", "DigestMismatch: expected sha256:aa actual sha256:bb")]
    [InlineData(nameof(FailureReason.DownloadFailed), "HTTP 503 Service Unavailable from https://h/m after 6 attempts", "DownloadFailed: HTTP 503 Service Unavailable from https://h/m after 6 attempts")]
    [InlineData(nameof(FailureReason.SourceNotFound), "HTTP 404 Not Found from https://h/m", "SourceNotFound: HTTP 404 Not Found from https://h/m")]
    [InlineData(nameof(FailureReason.Unauthorized), "s3://b/k: AccessDenied (HTTP 403)", "Unauthorized: s3://b/k: AccessDenied (HTTP 403)")]
    [InlineData(nameof(FailureReason.UnsafeContent), "the link x points outside the folder", "UnsafeContent: the link x points outside the folder")]
    [InlineData(nameof(FailureReason.TooLarge), "m holds 2 GiB", "TooLarge: m holds 2 GiB")]
    [InlineData(nameof(FailureReason.InvalidSource), "MODEL_URI is not set", "InvalidSource: MODEL_URI is not set")]
    public void A_failure_starts_with_its_reason(string reason, string detail, string line) =>
        Assert.Equal(line, TerminationMessage.Failure(new FetchFailure(Enum.Parse<FailureReason>(reason), detail)));

    [Fact]
    public void Success_says_verified_with_a_pin_and_computed_without()
    {
        Assert.Equal("Verified: sha256:abc", TerminationMessage.Success("sha256:abc", pinned: true));
        Assert.Equal("Computed: sha256:abc", TerminationMessage.Success("sha256:abc", pinned: false));
    }

    [Fact]
    public void A_message_over_several_lines_becomes_one()
    {
        var line = TerminationMessage.Failure(new FetchFailure(FailureReason.DownloadFailed, "connection error:\r\n  reset by peer\n"));

        Assert.Equal("DownloadFailed: connection error: reset by peer", line);
    }

    [Fact]
    public void A_long_message_is_cut_to_what_the_kubelet_keeps_without_splitting_a_character()
    {
        var line = TerminationMessage.Failure(new FetchFailure(FailureReason.UnsafeContent, string.Concat(Enumerable.Repeat("é", 5000))));

        Assert.True(Encoding.UTF8.GetByteCount(line) <= TerminationMessage.MaxBytes);
        Assert.StartsWith("UnsafeContent: éé", line, StringComparison.Ordinal);
        Assert.EndsWith("é…", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_log_file_holds_exactly_the_line()
    {
        using var folder = new TempFolder();
        var path = folder.Join("termination-log");
        File.WriteAllText(path, "an older message that is longer");

        Assert.Null(TerminationLog.TryWrite(path, "Verified: sha256:abc"));
        Assert.Equal("Verified: sha256:abc", File.ReadAllText(path));
    }

    [Fact]
    public void A_log_that_cannot_be_written_is_reported_not_thrown()
    {
        using var folder = new TempFolder();

        Assert.NotNull(TerminationLog.TryWrite(folder.Join("no/such/folder/log"), "x"));
    }

    [Fact]
    public void Failures_of_attempts_map_to_reasons()
    {
        Assert.Equal(FailureReason.SourceNotFound, HttpFailures.Reason(new AttemptFailure(AttemptFailureKind.Status, "", 404)));
        Assert.Equal(FailureReason.SourceNotFound, HttpFailures.Reason(new AttemptFailure(AttemptFailureKind.Status, "", 410)));
        Assert.Equal(FailureReason.Unauthorized, HttpFailures.Reason(new AttemptFailure(AttemptFailureKind.Status, "", 401)));
        Assert.Equal(FailureReason.Unauthorized, HttpFailures.Reason(new AttemptFailure(AttemptFailureKind.Status, "", 403)));
        Assert.Equal(FailureReason.DownloadFailed, HttpFailures.Reason(new AttemptFailure(AttemptFailureKind.Status, "", 503)));
        Assert.Equal(FailureReason.DownloadFailed, HttpFailures.Reason(new AttemptFailure(AttemptFailureKind.Truncated, "")));
    }
}
