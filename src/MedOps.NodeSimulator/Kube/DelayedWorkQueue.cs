using System.Threading.Channels;

namespace MedOps.NodeSimulator.Kube;

/// <summary>
/// The simulator's one timer: keys (for example <c>namespace/name</c>) are scheduled for a time,
/// a single loop hands due keys to a few workers. Thousands of pods cost one priority queue, not
/// a thread or timer each. A key is never processed by two workers at once; scheduling a key that
/// is being processed runs it once more afterwards; a handler that throws is retried with
/// per-key exponential back-off.
/// </summary>
internal sealed class DelayedWorkQueue(TimeProvider time, SimulatorLog log, string what) : IDisposable
{
    private static readonly TimeSpan RetryInitial = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan RetryMaximum = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private readonly PriorityQueue<string, DateTime> timers = new();
    // The earliest pending due time per key; timer entries that disagree with it are stale.
    private readonly Dictionary<string, DateTime> dueByKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> processing = new(StringComparer.Ordinal);
    private readonly HashSet<string> rerun = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> failures = new(StringComparer.Ordinal);
    private readonly Channel<string> ready = Channel.CreateUnbounded<string>();
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>Process the key now (or as soon as its current processing ends).</summary>
    public void Add(string key) => Schedule(key, time.GetUtcNow().UtcDateTime);

    /// <summary>Process the key at <paramref name="due"/> (UTC) unless it is already due earlier.</summary>
    public void Schedule(string key, DateTime due)
    {
        lock (gate)
        {
            if (dueByKey.TryGetValue(key, out var existing) && existing <= due)
            {
                return;
            }

            dueByKey[key] = due;
            timers.Enqueue(key, due);
            if (wake.CurrentCount == 0)
            {
                wake.Release();
            }
        }
    }

    /// <summary>Number of keys waiting for their time (for tests and diagnostics).</summary>
    public int PendingCount
    {
        get
        {
            lock (gate)
            {
                return dueByKey.Count;
            }
        }
    }

    /// <summary>Runs the timer loop and <paramref name="workers"/> workers until cancelled.</summary>
    public async Task RunAsync(Func<string, CancellationToken, Task> handler, int workers, CancellationToken cancellationToken)
    {
        var tasks = new List<Task> { Task.Run(() => TimerLoopAsync(cancellationToken), CancellationToken.None) };
        for (var i = 0; i < workers; i++)
        {
            tasks.Add(Task.Run(() => WorkerAsync(handler, cancellationToken), CancellationToken.None));
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task TimerLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            lock (gate)
            {
                var now = time.GetUtcNow().UtcDateTime;
                while (timers.TryPeek(out var key, out var due) && due <= now)
                {
                    timers.Dequeue();
                    if (!dueByKey.TryGetValue(key, out var current) || current != due)
                    {
                        continue;
                    }

                    dueByKey.Remove(key);
                    if (!processing.Add(key))
                    {
                        rerun.Add(key);
                        continue;
                    }

                    ready.Writer.TryWrite(key);
                }

                wait = timers.TryPeek(out _, out var nextDue)
                    ? Clamp(nextDue - now)
                    : Timeout.InfiniteTimeSpan;
            }

            await wake.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Clamp(TimeSpan wait)
    {
        // SemaphoreSlim takes at most int.MaxValue ms; a wake-up a day away may as well be re-checked.
        var day = TimeSpan.FromDays(1);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > day ? day : wait;
    }

    private async Task WorkerAsync(Func<string, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        await foreach (var key in ready.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var failed = false;
            try
            {
                await handler(key, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failed = true;
                log.Warn($"{what} {key}: {ApiErrors.Describe(e)}; will retry");
            }

            Finish(key, failed);
        }
    }

    private void Finish(string key, bool failed)
    {
        DateTime? retryAt = null;
        bool again;
        lock (gate)
        {
            processing.Remove(key);
            again = rerun.Remove(key);
            if (failed)
            {
                var count = failures.GetValueOrDefault(key) + 1;
                failures[key] = count;
                var delay = TimeSpan.FromTicks(Math.Min(RetryMaximum.Ticks, RetryInitial.Ticks << Math.Min(count - 1, 16)));
                retryAt = time.GetUtcNow().UtcDateTime + delay;
            }
            else
            {
                failures.Remove(key);
            }
        }

        if (retryAt is { } at)
        {
            Schedule(key, at);
        }
        else if (again)
        {
            Add(key);
        }
    }

    public void Dispose() => wake.Dispose();
}
