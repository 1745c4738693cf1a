using MedOps.Controllers.Shared;

namespace MedOps.Controllers.Tests.Shared;

public class InitializerTerminationTests
{
    private static readonly string Digest = "sha256:" + new string('0', 60) + "beef";

    [Theory]
    [InlineData("Verified: ")]
    [InlineData("Computed: ")]
    public void A_success_line_gives_its_digest(string prefix) =>
        Assert.Equal(Digest, InitializerTermination.Digest(prefix + Digest + "\n"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("DigestMismatch: expected sha256:aa, got sha256:bb")]
    [InlineData("Computed: sha256:abc")]
    [InlineData("Computed: sha512:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("Computed: sha256:000000000000000000000000000000000000000000000000000000000000BEEF")]
    [InlineData("computed: sha256:000000000000000000000000000000000000000000000000000000000000beef")]
    public void Anything_else_gives_none(string? message) =>
        Assert.Null(InitializerTermination.Digest(message));

    [Theory]
    [InlineData("DigestMismatch: expected a, got b", "DigestMismatch")]
    [InlineData("UnsafeContent: model.bin is a symlink out of the folder", "UnsafeContent")]
    [InlineData("exit code 1", "")]
    [InlineData("Traceback (most recent call last): x", "")]
    [InlineData(": nothing", "")]
    public void A_failure_lines_reason_is_the_word_before_its_colon(string message, string code) =>
        Assert.Equal(code, InitializerTermination.FailureCode(message));
}
