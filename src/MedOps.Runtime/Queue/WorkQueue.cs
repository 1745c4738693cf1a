using System.Diagnostics;
using MedOps.Runtime.Telemetry;

namespace MedOps.Runtime.Queue;

/// <summary>
/// client-go's work queue semantics: a key waits at most once (adds are de-duplicated); a key
/// being processed is never handed to a second worker; a key added while it is processed is
/// handed out again after <see cref="Done"/>. Delayed adds (<see cref="AddAfter"/>) and
/// rate-limited retries (<see cref="AddRateLimited"/>) build on it.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Queue<TKey> ready = new();
    private readonly HashSet<TKey> dirty = [];
    private readonly HashSet<TKey> processing = [];
    private readonly Dictionary<TKey, long> enqueuedAt = [];
    private readonly SemaphoreSlim available = new(0);
    private readonly PriorityQueue<TKey, DateTimeOffset> waiting = new();
    private readonly Dictionary<TKey, DateTimeOffset> waitingUntil = [];
    private readonly IRateLimiter<TKey> limiter;
    private readonly TimeProvider time;
    private readonly KeyValuePair<string, object?> nameTag;
    private readonly CancellationTokenSource shutdown = new();
    private readonly SemaphoreSlim waitingChanged = new(0);
    private readonly Task delayLoop;

    /// <summary>Creates a queue; <paramref name="name"/> labels its metrics.</summary>
    public WorkQueue(string name, IRateLimiter<TKey>? limiter = null, TimeProvider? time = null)
    {
        Name = name;
        this.limiter = limiter ?? RateLimiters.ControllerDefault<TKey>();
        this.time = time ?? TimeProvider.System;
        nameTag = new("name", name);
        delayLoop = Task.Run(RunDelayLoopAsync);
    }

    /// <summary>The queue's name (metrics label).</summary>
    public string Name { get; }

    /// <summary>Keys waiting to be handed out (not counting delayed or in-process ones).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return ready.Count;
            }
        }
    }

    /// <summary>Keys handed out by <c>Get</c> and not yet marked done (reconciles in flight).</summary>
    public int InProcess
    {
        get
        {
            lock (gate)
            {
                return processing.Count;
            }
        }
    }

    /// <summary>True once <see cref="ShutDown"/> was called.</summary>
    public bool IsShuttingDown => shutdown.IsCancellationRequested;

    /// <summary>Adds a key now. A key already waiting is not added twice.</summary>
    public void Add(TKey key)
    {
        lock (gate)
        {
            if (shutdown.IsCancellationRequested || !dirty.Add(key))
            {
                return;
            }
            RuntimeMetrics.QueueAdds.Add(1, nameTag);
            if (processing.Contains(key))
            {
                // Handed out again by Done, so one worker at a time sees it.
                return;
            }
            Enqueue(key);
        }
    }

    /// <summary>Adds a key after <paramref name="delay"/>; an earlier pending delay for the key wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        var due = time.GetUtcNow() + delay;
        lock (gate)
        {
            if (shutdown.IsCancellationRequested)
            {
                return;
            }
            if (waitingUntil.TryGetValue(key, out var existing) && existing <= due)
            {
                return;
            }
            waitingUntil[key] = due;
            waiting.Enqueue(key, due);
        }
        waitingChanged.Release();
    }

    /// <summary>Adds a key after the limiter's backoff for it (a retry after an error).</summary>
    public void AddRateLimited(TKey key)
    {
        RuntimeMetrics.QueueRetries.Add(1, nameTag);
        AddAfter(key, limiter.When(key));
    }

    /// <summary>Resets the key's backoff (after a successful reconcile).</summary>
    public void Forget(TKey key) => limiter.Forget(key);

    /// <summary>How many retries the key has had since it was last forgotten.</summary>
    public int Retries(TKey key) => limiter.Retries(key);

    /// <summary>Waits for the next key and marks it as being processed. Throws when shut down.</summary>
    public async Task<TKey> GetAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Token);
        while (true)
        {
            await available.WaitAsync(linked.Token);
            lock (gate)
            {
                if (!ready.TryDequeue(out var key))
                {
                    continue;
                }
                RuntimeMetrics.QueueDepth.Add(-1, nameTag);
                if (enqueuedAt.Remove(key, out var at))
                {
                    RuntimeMetrics.QueueDuration.Record(Stopwatch.GetElapsedTime(at).TotalSeconds, nameTag);
                }
                processing.Add(key);
                dirty.Remove(key);
                return key;
            }
        }
    }

    /// <summary>Marks a key as processed; if it was added meanwhile, it becomes ready again.</summary>
    public void Done(TKey key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (dirty.Contains(key) && !shutdown.IsCancellationRequested)
            {
                Enqueue(key);
            }
        }
    }

    /// <summary>Stops handing out keys; waiting <see cref="GetAsync"/> calls throw.</summary>
    public void ShutDown() => shutdown.Cancel();

    /// <inheritdoc/>
    public void Dispose()
    {
        ShutDown();
        try
        {
            delayLoop.Wait(TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation.
        }
        shutdown.Dispose();
        available.Dispose();
        waitingChanged.Dispose();
    }

    private void Enqueue(TKey key)
    {
        ready.Enqueue(key);
        enqueuedAt[key] = Stopwatch.GetTimestamp();
        RuntimeMetrics.QueueDepth.Add(1, nameTag);
        available.Release();
    }

    // One loop serves every delayed key: it sleeps until the earliest is due or a new one arrives.
    private async Task RunDelayLoopAsync()
    {
        var token = shutdown.Token;
        while (!token.IsCancellationRequested)
        {
            TimeSpan sleep;
            var due = new List<TKey>();
            lock (gate)
            {
                var now = time.GetUtcNow();
                while (waiting.TryPeek(out var key, out var at) && at <= now)
                {
                    waiting.Dequeue();
                    // Skip stale entries superseded by an earlier AddAfter for the same key.
                    if (waitingUntil.TryGetValue(key, out var current) && current == at)
                    {
                        waitingUntil.Remove(key);
                        due.Add(key);
                    }
                }
                sleep = waiting.TryPeek(out _, out var next) ? next - now : Timeout.InfiniteTimeSpan;
            }
            foreach (var key in due)
            {
                Add(key);
            }
            try
            {
                await waitingChanged.WaitAsync(sleep, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
