using MedOps.ModelInitializer.Digests;
using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer;

/// <summary><c>digest &lt;path&gt;</c>: prints the digest users pin in <c>spec.source.digest</c>.</summary>
internal static class DigestCommand
{
    /// <summary>Prints the digest of <paramref name="path"/> alone on a line; returns the exit code.</summary>
    public static async Task<int> RunAsync(string path, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ContentDigest.ComputeAsync(path, long.MaxValue, cancellationToken);
            await output.WriteLineAsync(result.Digest);
            return ExitCodes.Success;
        }
        catch (FetchFailure failure)
        {
            await output.WriteLineAsync($"medops-model-initializer: {TerminationMessage.Failure(failure)}");
            return ExitCodes.Failed;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"medops-model-initializer: cannot read {path}: {exception.Message}");
            return ExitCodes.Failed;
        }
    }
}
