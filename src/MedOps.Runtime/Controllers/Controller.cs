using System.Diagnostics;
using k8s;
using k8s.Models;
using MedOps.Runtime.Api;
using MedOps.Runtime.Informers;
using MedOps.Runtime.Queue;
using MedOps.Runtime.Telemetry;
using Microsoft.Extensions.Logging;

namespace MedOps.Runtime.Controllers;

/// <summary>A controller whatever its kind: what the manager runs.</summary>
public interface IController
{
    /// <summary>The controller's name (metrics and logs).</summary>
    string Name { get; }

    /// <summary>Runs the workers until cancelled; caches must have synced first.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>Options of one controller.</summary>
public sealed record ControllerOptions
{
    /// <summary>Workers reconciling different keys at the same time.</summary>
    public int MaxConcurrentReconciles { get; init; } = 1;

    /// <summary>A reconcile taking longer is cancelled and retried with backoff; its key never blocks others.</summary>
    public TimeSpan ReconcileTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The retry policy (default: 5 ms → 5 min per key, 10 qps / burst 100 overall).</summary>
    public Func<IRateLimiter<ObjectKey>>? RateLimiter { get; init; }
}

/// <summary>
/// controller-runtime's controller: events of the primary kind, of owned children (through their
/// controller owner reference) and of mapped watches become keys in a work queue; workers take a
/// key, read the object from the cache, and call the reconciler. Results: done, requeue after T,
/// error (backoff), terminal (wait for a change). A reconcile that throws or hangs never blocks
/// other keys: a hung one is cancelled at its timeout and its worker replaced.
/// </summary>
public sealed class Controller<T> : IController
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Informer<T> primary;
    private readonly IReconciler<T> reconciler;
    private readonly ControllerOptions options;
    private readonly ILogger logger;
    private readonly KeyValuePair<string, object?> controllerTag;

    /// <summary>Creates a controller over the primary informer; add watches before <see cref="RunAsync"/>.</summary>
    public Controller(string name, Informer<T> primary, IReconciler<T> reconciler, ControllerOptions options, ILogger logger)
    {
        Name = name;
        this.primary = primary;
        this.reconciler = reconciler;
        this.options = options;
        this.logger = logger;
        controllerTag = new("controller", name);
        Queue = new WorkQueue<ObjectKey>(name, options.RateLimiter?.Invoke());
        primary.AddHandler(ev => Queue.Add(ObjectKey.Of(ev.Object)));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The controller's queue (exposed for scheduled requeues from outside, and tests).</summary>
    public WorkQueue<ObjectKey> Queue { get; }

    /// <summary>Children whose controller owner reference points at a <typeparamref name="T"/> re-trigger that owner.</summary>
    public Controller<T> Owns<TChild>(Informer<TChild> children)
        where TChild : class, IKubernetesObject<V1ObjectMeta>
    {
        var ownerType = primary.Type;
        children.AddHandler(ev =>
        {
            EnqueueOwner(ev.Object, ownerType);
            if (ev.Old is not null)
            {
                EnqueueOwner(ev.Old, ownerType);
            }
        });
        return this;
    }

    /// <summary>Events of another kind re-trigger the keys <paramref name="map"/> names.</summary>
    public Controller<T> Watches<TOther>(Informer<TOther> other, Func<TOther, IEnumerable<ObjectKey>> map)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        other.AddHandler(ev =>
        {
            foreach (var key in map(ev.Object))
            {
                Queue.Add(key);
            }
        });
        return this;
    }

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(Queue.ShutDown);
        var workers = new List<Task>();
        for (var i = 0; i < Math.Max(1, options.MaxConcurrentReconciles); i++)
        {
            workers.Add(Task.Run(() => WorkerAsync(cancellationToken), CancellationToken.None));
        }
        logger.LogInformation("controller {Controller} started with {Workers} workers", Name, workers.Count);
        await Task.WhenAll(workers);
    }

    private void EnqueueOwner(IMetadata<V1ObjectMeta> child, ResourceType ownerType)
    {
        var owner = child.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
        if (owner is not null && owner.Kind == ownerType.Kind && owner.ApiVersion == ownerType.ApiVersion)
        {
            Queue.Add(new ObjectKey(child.Metadata.NamespaceProperty ?? "", owner.Name));
        }
    }

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            ObjectKey key;
            try
            {
                key = await Queue.GetAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var work = ProcessAsync(key, cancellationToken);
            var finished = await Task.WhenAny(work, Task.Delay(options.ReconcileTimeout + TimeSpan.FromSeconds(5), CancellationToken.None));
            if (finished != work)
            {
                // The reconcile ignored its cancellation. Leave it running (its key stays marked
                // as in progress, so no second worker takes it) and let a fresh worker carry on.
                logger.LogError("reconcile of {Key} in {Controller} hangs past its timeout; starting a replacement worker", key, Name);
                _ = work.ContinueWith(_ => Queue.AddRateLimited(key), TaskScheduler.Default);
                _ = Task.Run(() => WorkerAsync(cancellationToken), CancellationToken.None);
                return;
            }
        }
    }

    private async Task ProcessAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string result;
        using var activity = RuntimeMetrics.Tracing.StartActivity($"reconcile {Name}");
        activity?.SetTag("k8s.namespace.name", key.Namespace);
        activity?.SetTag("k8s.object.name", key.Name);
        try
        {
            result = await ReconcileKeyAsync(key, cancellationToken);
        }
        finally
        {
            Queue.Done(key);
        }
        activity?.SetTag("medops.reconcile.result", result);
        RuntimeMetrics.ReconcileTotal.Add(1, controllerTag, new("result", result));
        RuntimeMetrics.ReconcileTime.Record(clock.Elapsed.TotalSeconds, controllerTag);
    }

    private async Task<string> ReconcileKeyAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var obj = primary.Cache.Get(key);
        if (obj is null)
        {
            // Deleted: owner references let the garbage collector remove the children.
            Queue.Forget(key);
            return "success";
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ReconcileTimeout);
        try
        {
            var outcome = await reconciler.ReconcileAsync(obj, timeout.Token);
            switch (outcome)
            {
                case ReconcileResult.RequeueAfterResult after:
                    Queue.Forget(key);
                    Queue.AddAfter(key, after.Delay);
                    return "requeue_after";
                case ReconcileResult.TerminalResult terminal:
                    logger.LogInformation("{Controller} {Key}: waiting for a change ({Reason})", Name, key, terminal.Reason);
                    Queue.Forget(key);
                    return "success";
                default:
                    Queue.Forget(key);
                    return "success";
            }
        }
        catch (KubeApiException ex) when (ex.IsConflict)
        {
            // Someone else wrote first: read the newer version from the cache and try again.
            logger.LogDebug("{Controller} {Key}: conflict, requeueing", Name, key);
            Queue.AddRateLimited(key);
            return "requeue";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "error";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var timedOut = ex is OperationCanceledException && timeout.IsCancellationRequested;
            RuntimeMetrics.ReconcileErrors.Add(1, controllerTag);
            var retries = Queue.Retries(key);
            // Repeated failures of one key log at a lower level so a poisoned object cannot flood the log.
            var level = retries < 3 ? LogLevel.Error : LogLevel.Debug;
            logger.Log(level, timedOut ? null : ex, "{Controller} {Key}: reconcile {What} (retry {Retries})",
                Name, key, timedOut ? $"timed out after {options.ReconcileTimeout.TotalSeconds:0}s" : "failed: " + ex.Message, retries);
            Queue.AddRateLimited(key);
            return "error";
        }
    }
}
