using k8s;

namespace MedOps.NodeSimulator.Kube;

/// <summary>Receives what a <see cref="ListWatchLoop{T}"/> learns.</summary>
internal interface IWatchSink<in T>
{
    /// <summary>A full LIST: the complete current set (objects not in it are gone).</summary>
    void Replace(IReadOnlyList<T> items);

    /// <summary>One ADDED, MODIFIED or DELETED event.</summary>
    void Apply(WatchEventType type, T item);
}

/// <summary>The items and collection resourceVersion of one LIST.</summary>
internal sealed record ListResult<T>(IReadOnlyList<T> Items, string? ResourceVersion);

/// <summary>Opens a WATCH from a resourceVersion; errors carried in ERROR events go to the callback.</summary>
internal delegate IAsyncEnumerable<(WatchEventType Type, T Item)> OpenWatch<T>(
    string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);

/// <summary>
/// LIST, then WATCH from the list's resourceVersion, for as long as the simulator runs: the
/// client library has no informer. Reconnects from the last seen resourceVersion when a watch
/// ends; re-lists when the server says that version is gone (410, which arrives as an ERROR
/// event, not an exception); backs off on failures; and, for custom resources, waits calmly
/// while the CRD is not installed (404) instead of logging an error every second.
/// </summary>
internal sealed class ListWatchLoop<T>(
    string what,
    Func<CancellationToken, Task<ListResult<T>>> list,
    OpenWatch<T> watch,
    Func<T, string?> resourceVersionOf,
    IWatchSink<T> sink,
    SimulatorLog log)
{
    private static readonly TimeSpan NotServedRetry = TimeSpan.FromSeconds(3);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(30));
        string? resourceVersion = null;
        var notServed = false;

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var listed = await list(cancellationToken).ConfigureAwait(false);
                    if (notServed)
                    {
                        log.Info($"{what}: served now, watching");
                        notServed = false;
                    }

                    sink.Replace(listed.Items);
                    resourceVersion = listed.ResourceVersion ?? "0";
                    backoff.Reset();
                }

                var outcome = await WatchOnceAsync(resourceVersion, cancellationToken).ConfigureAwait(false);
                resourceVersion = outcome.ResourceVersion;
                if (outcome.Expired)
                {
                    // The server no longer has history from our version: start over with a LIST.
                    resourceVersion = null;
                }

                if (outcome.Events > 0 || outcome.Expired)
                {
                    backoff.Reset();
                }
                else if (outcome.Failed)
                {
                    await Task.Delay(backoff.Next(), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                if (!notServed)
                {
                    log.Info($"{what}: not served (CRD not installed?); checking every {NotServedRetry.TotalSeconds:0} s");
                    notServed = true;
                }

                resourceVersion = null;
                await PauseAsync(NotServedRetry, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                var delay = backoff.Next();
                log.Warn($"{what}: list/watch failed ({ApiErrors.Describe(e)}); retrying in {delay.TotalSeconds:0.0} s");
                await PauseAsync(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits, unless the simulator is stopping (then the loop condition ends the loop).</summary>
    private static async Task PauseAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private sealed record WatchOutcome(string? ResourceVersion, int Events, bool Expired, bool Failed);

    private async Task<WatchOutcome> WatchOnceAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        // The server ends the watch after timeoutSeconds; spread reconnects like client-go does.
        var timeoutSeconds = Random.Shared.Next(300, 600);
        using var watchCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // A half-open connection would never deliver the server's close: give up a little later.
        watchCancellation.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds + 30));

        var expired = false;
        var failed = false;
        var events = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        void OnError(Exception e)
        {
            if (e is KubernetesException { Status.Code: 410 })
            {
                expired = true;
                log.Info($"{what}: watch expired (410 Gone), re-listing");
                return;
            }

            failed = true;
            log.Warn($"{what}: watch error ({ApiErrors.Describe(e)})");
        }

        try
        {
            await foreach (var (type, item) in watch(resourceVersion, timeoutSeconds, OnError, watchCancellation.Token).ConfigureAwait(false))
            {
                resourceVersion = resourceVersionOf(item) ?? resourceVersion;
                if (type == WatchEventType.Bookmark)
                {
                    continue;
                }

                events++;
                sink.Apply(type, item);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own guard fired: reconnect from where we are.
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            log.Warn($"{what}: watch connection lost ({e.Message}); reconnecting");
            failed = true;
        }

        // A watch that the server closes at once without a word is as bad as a failure: back off.
        var closedAtOnce = events == 0 && !expired && started.Elapsed < TimeSpan.FromSeconds(1);
        return new WatchOutcome(resourceVersion, events, expired, failed || closedAtOnce);
    }
}
