using MedOps.ModelInitializer.Configuration;
using MedOps.ModelInitializer.Downloads;
using MedOps.ModelInitializer.Failures;
using MedOps.ModelInitializer.Fetchers;
using MedOps.ModelInitializer.Paths;
using MedOps.ModelInitializer.Sources;

namespace MedOps.ModelInitializer;

/// <summary>
/// <c>fetch</c>, the init container: settings → fetch → verify → one line in the termination
/// log. Every failure becomes a <see cref="FetchFailure"/> with its reason and exit code 1.
/// </summary>
internal static class FetchCommand
{
    /// <summary>Runs the fetch; returns the exit code.</summary>
    public static async Task<int> RunAsync(
        IReadOnlyDictionary<string, string> environment, TextWriter output, DownloadPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var terminationLog = FetchSettings.TerminationLog(environment);
        try
        {
            var settings = FetchSettings.Read(environment);
            await output.WriteLineAsync($"fetching {settings.Source.Display} into {settings.ModelDir} (at most {ByteSizes.Format(settings.MaxBytes)})");
            var target = await FetchAsync(settings, environment, output, policy, time, cancellationToken);
            var result = await ModelVerifier.VerifyAsync(settings.ModelDir, target, settings.MaxBytes, settings.Digest, cancellationToken);
            var pinned = settings.Digest is not null;
            await output.WriteLineAsync($"digest {result.Digest} ({result.Files} files, {ByteSizes.Format(result.Bytes)}){(pinned ? ": matches MODEL_DIGEST" : ": no MODEL_DIGEST to verify")}");
            await WriteTerminationAsync(terminationLog, TerminationMessage.Success(result.Digest, pinned), output);
            return ExitCodes.Success;
        }
        catch (Exception exception)
        {
            var failure = Failure(exception, cancellationToken);
            if (exception is not (FetchFailure or IOException or UnauthorizedAccessException or OperationCanceledException))
            {
                // Not a failure foreseen: the stack trace is for whoever reads the log.
                await output.WriteLineAsync(exception.ToString());
            }
            var line = TerminationMessage.Failure(failure);
            await output.WriteLineAsync($"failed: {line}");
            await WriteTerminationAsync(terminationLog, line, output);
            return ExitCodes.Failed;
        }
    }

    private static async Task<string> FetchAsync(
        FetchSettings settings, IReadOnlyDictionary<string, string> environment, TextWriter output, DownloadPolicy policy, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (settings.Source is PvcSource)
        {
            // The operator mounts the claim's path at MODEL_DIR (read-only): there is nothing to write.
            return File.Exists(settings.ModelDir) || Directory.Exists(settings.ModelDir)
                ? settings.ModelDir
                : throw new FetchFailure(FailureReason.SourceNotFound, $"{settings.Source.Display} is not mounted at {settings.ModelDir}");
        }

        var credentials = StoreCredentials.Read(settings.CredentialsDir, environment);
        var context = new FetchContext(
            settings, credentials, ModelDirectory.Prepare(settings.ModelDir), new ByteBudget(settings.MaxBytes),
            new AttemptRunner(policy, output), output, time);
        switch (settings.Source)
        {
            case S3Source s3:
                using (var client = S3ClientFactory.Create(settings, credentials.Aws, policy))
                {
                    return await new S3Fetcher(client, context).FetchAsync(s3, cancellationToken);
                }
            case HttpSource http:
                using (var client = HttpClients.Create(policy))
                {
                    return await HttpFetcher.FetchAsync(http, context, new HttpDownloader(client, context.Runner, output, time), cancellationToken);
                }
            case GcsSource gcs:
                using (var client = HttpClients.Create(policy))
                {
                    var downloader = new HttpDownloader(client, context.Runner, output, time);
                    return await new GcsFetcher(client, downloader, context).FetchAsync(gcs, cancellationToken);
                }
            default:
                throw new InvalidOperationException($"unhandled source {settings.Source.GetType().Name}");
        }
    }

    // Anything else that goes wrong (a full disk, a folder it may not write, a bug) is a failed
    // download too: the pod must say why in one line rather than die with a stack trace.
    private static FetchFailure Failure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        FetchFailure failure => failure,
        OperationCanceledException when cancellationToken.IsCancellationRequested => new FetchFailure(FailureReason.DownloadFailed, "stopped (SIGTERM)", exception),
        IOException or UnauthorizedAccessException => new FetchFailure(FailureReason.DownloadFailed, exception.Message, exception),
        _ => new FetchFailure(FailureReason.DownloadFailed, $"{exception.GetType().Name}: {exception.Message}", exception),
    };

    private static async Task WriteTerminationAsync(string path, string line, TextWriter output)
    {
        if (TerminationLog.TryWrite(path, line) is { } error)
        {
            await output.WriteLineAsync($"warning: cannot write the termination message to {path}: {error}");
        }
    }
}
