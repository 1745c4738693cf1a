using System.Diagnostics;
using k8s;
using k8s.Models;
using MedOps.Runtime.Api;
using MedOps.Runtime.Telemetry;
using Microsoft.Extensions.Logging;

namespace MedOps.Runtime.Informers;

/// <summary>An informer whatever its object type: what the factory and readiness need.</summary>
public interface IInformer
{
    /// <summary>The kind it watches.</summary>
    ResourceType Type { get; }

    /// <summary>True once the first LIST has filled the cache.</summary>
    bool HasSynced { get; }

    /// <summary>Lists and watches until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="handler"/> with the key of every object that leaves the cache.</summary>
    void OnDeleted(Action<ObjectKey> handler);
}

/// <summary>
/// client-go's reflector + store for one kind and scope: LIST, then WATCH from the list's
/// resourceVersion with bookmarks and a random server timeout of 5–10 minutes; tracks the last
/// resourceVersion; on 410 Gone re-lists and emits deletes for objects that vanished in the gap;
/// reconnects with jittered backoff (0.8 s → 30 s); a watch that outlives its server timeout by
/// 30 s is taken for a half-open connection and dropped. <c>managedFields</c> are stripped before
/// caching: they are large and no reconciler reads them. A transform (<see cref="UseTransform"/>,
/// client-go's <c>SetTransform</c>) may trim more.
/// </summary>
public sealed class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(800);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private const int PageSize = 500;

    private readonly KubeApi api;
    private readonly string? @namespace;
    private readonly string? labelSelector;
    private readonly string? fieldSelector;
    private readonly ILogger logger;
    private readonly List<Action<InformerEvent<T>>> handlers = [];
    private readonly KeyValuePair<string, object?> kindTag;
    private volatile bool synced;
    private string resourceVersion = "";
    private Action<T>? transform;

    /// <summary>
    /// Creates an informer; call <see cref="RunAsync"/> to start it. A <paramref name="fieldSelector"/>
    /// such as <c>metadata.name=x</c> watches one object, which RBAC can grant by name.
    /// </summary>
    public Informer(KubeApi api, ResourceType type, string? @namespace, string? labelSelector, ILogger logger, string? fieldSelector = null)
    {
        this.api = api;
        Type = type;
        this.@namespace = @namespace;
        this.labelSelector = labelSelector;
        this.fieldSelector = fieldSelector;
        this.logger = logger;
        kindTag = new("kind", type.Kind);
    }

    /// <inheritdoc/>
    public ResourceType Type { get; }

    /// <summary>
    /// Trims every object in place before it is cached and handed to handlers, to keep only what
    /// the readers of this shared informer need. Set it before the informer starts; every user of
    /// the informer must pass the same transform (a second, different one is a programming error).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another transform is already set.</exception>
    public void UseTransform(Action<T> trim)
    {
        ArgumentNullException.ThrowIfNull(trim);
        if (transform is not null && !transform.Equals(trim))
        {
            throw new InvalidOperationException($"the shared informer of {Type.Kind} already has another transform: its users must share one");
        }
        transform = trim;
    }

    /// <summary>The cache this informer fills.</summary>
    public ObjectCache<T> Cache { get; } = new();

    /// <inheritdoc/>
    public bool HasSynced => synced;

    /// <summary>The last resourceVersion seen (from a list, an event or a bookmark).</summary>
    public string LastResourceVersion => Volatile.Read(ref resourceVersion);

    /// <inheritdoc/>
    public void OnDeleted(Action<ObjectKey> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddHandler(e =>
        {
            if (e.Kind == InformerEventKind.Deleted)
            {
                handler(ObjectKey.Of(e.Object));
            }
        });
    }

    /// <summary>Registers a handler; called on the informer's loop, so it must be quick (enqueue and return).</summary>
    public void AddHandler(Action<InformerEvent<T>> handler)
    {
        lock (handlers)
        {
            handlers.Add(handler);
        }
        // A handler added late still learns about what is already cached.
        foreach (var obj in Cache.List())
        {
            handler(new InformerEvent<T>(InformerEventKind.Added, obj));
        }
    }

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = InitialBackoff;
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var watchStarted = Stopwatch.StartNew();
            var sawEvent = false;
            try
            {
                if (needList)
                {
                    await ListAndReplaceAsync(cancellationToken);
                    needList = false;
                    backoff = InitialBackoff;
                }
                var timeoutSeconds = Random.Shared.Next(300, 600);
                using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                watchdog.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds + 30));
                await foreach (var ev in api.WatchAsync<T>(Type, @namespace, LastResourceVersion, timeoutSeconds, labelSelector, watchdog.Token, fieldSelector))
                {
                    sawEvent = true;
                    if (ev.Kind == WatchEventKind.Error)
                    {
                        if (ev.Status?.Code == 410)
                        {
                            logger.LogInformation("watch of {Kind} expired (410 Gone at {ResourceVersion}); re-listing", Type.Kind, LastResourceVersion);
                            RuntimeMetrics.WatchRestarts.Add(1, kindTag, new("reason", "gone"));
                            needList = true;
                            break;
                        }
                        throw new KubeApiException((System.Net.HttpStatusCode)(ev.Status?.Code ?? 500), ev.Status, $"watch error: {ev.Status?.Message}");
                    }
                    Apply(ev);
                    backoff = InitialBackoff;
                }
                if (!needList)
                {
                    RuntimeMetrics.WatchRestarts.Add(1, kindTag, new("reason", "closed"));
                }
                // A watch that keeps closing at once without events (an apiserver shutting down,
                // a proxy) must not spin: back off as after an error.
                if (!sawEvent && watchStarted.Elapsed < TimeSpan.FromSeconds(1))
                {
                    await DelayAsync(backoff, cancellationToken);
                    backoff = Next(backoff);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException ex) when (ex.IsGone)
            {
                RuntimeMetrics.WatchRestarts.Add(1, kindTag, new("reason", "gone"));
                needList = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                RuntimeMetrics.WatchRestarts.Add(1, kindTag, new("reason", "error"));
                var level = ex is KubeApiException { IsNotFound: true } ? LogLevel.Debug : LogLevel.Warning;
                logger.Log(level, "list/watch of {Kind} failed ({Error}); retrying in {Backoff:0.0}s", Type.Kind, ex.Message, backoff.TotalSeconds);
                await DelayAsync(backoff, cancellationToken);
                backoff = Next(backoff);
                // Without a resourceVersion to resume from, only a LIST can restart the stream.
                needList = needList || LastResourceVersion.Length == 0;
            }
        }
    }

    private async Task ListAndReplaceAsync(CancellationToken cancellationToken)
    {
        var seen = new HashSet<ObjectKey>();
        string? continueToken = null;
        string listVersion;
        // The first list is served from the apiserver's watch cache (resourceVersion=0), as
        // client-go's reflector does: at 20,000 objects, paging through etcd took seconds of
        // apiserver CPU, while the watch cache answers at once. The watch then resumes from that
        // version, so a slightly old answer only means a few more events. Re-lists after errors
        // or 410 Gone read etcd, page by page, for a consistent picture.
        var fromWatchCache = !synced;
        do
        {
            (listVersion, continueToken) = await api.ListEachAsync<T>(Type, @namespace, obj =>
            {
                Strip(obj);
                var key = ObjectKey.Of(obj);
                seen.Add(key);
                if (Cache.ResourceVersionOf(key) != obj.Metadata.ResourceVersion)
                {
                    Upsert(obj);
                }
            }, labelSelector, fromWatchCache ? null : PageSize, continueToken, fromWatchCache ? "0" : null, cancellationToken, fieldSelector);
        }
        while (!string.IsNullOrEmpty(continueToken));

        // Objects deleted while we were not watching get a synthetic delete, so owners learn of it.
        foreach (var key in Cache.Keys().Where(k => !seen.Contains(k)))
        {
            if (Cache.Remove(key) is { } gone)
            {
                RuntimeMetrics.CachedObjects.Add(-1, kindTag);
                Dispatch(new InformerEvent<T>(InformerEventKind.Deleted, gone));
            }
        }
        Volatile.Write(ref resourceVersion, listVersion);
        if (!synced)
        {
            logger.LogInformation("cache of {Kind} synced with {Count} objects", Type.Kind, Cache.Count);
        }
        synced = true;
    }

    private void Apply(WatchEvent<T> ev)
    {
        if (ev.ResourceVersion is { Length: > 0 } rv)
        {
            Volatile.Write(ref resourceVersion, rv);
        }
        switch (ev.Kind)
        {
            case WatchEventKind.Added or WatchEventKind.Modified when ev.Object is not null:
                Strip(ev.Object);
                Upsert(ev.Object);
                break;
            case WatchEventKind.Deleted when ev.Object is not null:
                var gone = Cache.Remove(ObjectKey.Of(ev.Object));
                if (gone is not null)
                {
                    RuntimeMetrics.CachedObjects.Add(-1, kindTag);
                }
                Strip(ev.Object);
                Dispatch(new InformerEvent<T>(InformerEventKind.Deleted, ev.Object, gone));
                break;
        }
    }

    private void Upsert(T obj)
    {
        var old = Cache.Upsert(obj);
        if (old is null)
        {
            RuntimeMetrics.CachedObjects.Add(1, kindTag);
        }
        Dispatch(old is null
            ? new InformerEvent<T>(InformerEventKind.Added, obj)
            : new InformerEvent<T>(InformerEventKind.Updated, obj, old));
    }

    private void Dispatch(InformerEvent<T> ev)
    {
        Action<InformerEvent<T>>[] snapshot;
        lock (handlers)
        {
            snapshot = [.. handlers];
        }
        foreach (var handler in snapshot)
        {
            try
            {
                handler(ev);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogError(ex, "an event handler for {Kind} threw", Type.Kind);
            }
        }
    }

    private void Strip(T obj)
    {
        obj.Metadata.ManagedFields = null;
        transform?.Invoke(obj);
    }

    private static TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));

    // ±20 % jitter keeps a fleet of informers from reconnecting in lockstep after an outage.
    private static Task DelayAsync(TimeSpan backoff, CancellationToken cancellationToken) =>
        Task.Delay(backoff * (0.8 + (Random.Shared.NextDouble() * 0.4)), cancellationToken);
}
