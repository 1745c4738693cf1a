using System.Globalization;
using MedOps.ModelInitializer.Paths;

namespace MedOps.ModelInitializer.Downloads;

/// <summary>
/// Downloads one URL to one file: streamed into a partial file in <c>MODEL_DIR</c>, renamed when
/// complete, retried by <see cref="AttemptRunner"/>.
/// </summary>
internal sealed class HttpDownloader(HttpClient client, AttemptRunner runner, TextWriter log, TimeProvider time)
{
    /// <summary>
    /// Downloads <paramref name="url"/> (named <paramref name="display"/> in logs, without its
    /// query) to <paramref name="destination"/>; returns its size, committed to <paramref name="budget"/>.
    /// </summary>
    public Task<long> DownloadAsync(
        Uri url, string display, string? bearerToken, ModelDirectory directory, string destination,
        ByteBudget budget, CancellationToken cancellationToken) =>
        runner.RunAsync(display, async attemptToken =>
        {
            var partial = directory.NewPartialFile();
            try
            {
                var bytes = await AttemptAsync(url, display, bearerToken, partial, budget, attemptToken);
                ModelDirectory.Commit(partial, destination);
                budget.Commit(bytes);
                return bytes;
            }
            finally
            {
                File.Delete(partial);
            }
        }, cancellationToken);

    private async Task<long> AttemptAsync(
        Uri url, string display, string? bearerToken, string partial, ByteBudget budget, CancellationToken cancellationToken)
    {
        var policy = runner.Policy;
        using var request = AuthorizedRequest.Get(url, bearerToken);
        using var response = await SendAsync(request, policy.ReadTimeout, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new AttemptException(HttpFailures.Status(response, time.GetUtcNow()));
        }
        var length = response.Content.Headers.ContentLength;
        if (length > budget.Remaining)
        {
            throw budget.TooLarge(display, length);
        }

        var progress = new DownloadProgress(log, display, length, policy.ProgressInterval, time);
        await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true))
        {
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                await StreamCopier.CopyAsync(body, file, budget, display, progress, policy.ReadTimeout, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or HttpRequestException)
            {
                throw new AttemptException(HttpFailures.Broken(progress.Bytes, length, exception), exception);
            }
            if (length is { } expected && progress.Bytes != expected)
            {
                throw new AttemptException(HttpFailures.Truncated(progress.Bytes, expected));
            }
            // On disk before the rename, so that a node crash cannot leave a complete-looking file with holes.
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }
        progress.Complete();
        return progress.Bytes;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(timeout);
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
        }
        catch (HttpRequestException exception)
        {
            throw new AttemptException(HttpFailures.Connection(exception), exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AttemptException(new AttemptFailure(AttemptFailureKind.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"no response within {timeout.TotalSeconds:0.###} s")), exception);
        }
    }
}
