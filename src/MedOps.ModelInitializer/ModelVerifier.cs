using MedOps.ModelInitializer.Digests;
using MedOps.ModelInitializer.Failures;
using MedOps.ModelInitializer.Paths;

namespace MedOps.ModelInitializer;

/// <summary>Checks what a fetch left: a safe <c>MODEL_DIR</c>, within the limit, of the pinned digest.</summary>
internal static class ModelVerifier
{
    /// <summary>
    /// The digest of <paramref name="target"/> (the downloaded file, or <c>MODEL_DIR</c>). The whole
    /// of <paramref name="modelDir"/> is checked for links that leave it, since the server reads all
    /// of it, whatever part the digest covers. Throws <see cref="FailureReason.DigestMismatch"/>
    /// when <paramref name="expected"/> is given and differs.
    /// </summary>
    public static async Task<DigestResult> VerifyAsync(string modelDir, string target, long maxBytes, string? expected, CancellationToken cancellationToken)
    {
        if (RealPath.Resolve(target) != RealPath.Resolve(modelDir) && Directory.Exists(modelDir))
        {
            ModelTree.List(modelDir);
        }
        var result = await ContentDigest.ComputeAsync(target, maxBytes, cancellationToken);
        if (expected is not null && result.Digest != expected)
        {
            throw new FetchFailure(FailureReason.DigestMismatch, $"expected {expected} actual {result.Digest}");
        }
        return result;
    }
}
