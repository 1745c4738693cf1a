using k8s;
using k8s.Models;
using MedOps.Runtime.Api;
using Microsoft.Extensions.Logging;

namespace MedOps.Runtime.Informers;

/// <summary>
/// One shared informer per kind, scope and label selector: every controller that watches
/// Deployments reads the same cache and the apiserver serves one watch, not one per controller.
/// </summary>
/// <param name="api">The client.</param>
/// <param name="loggers">Loggers.</param>
/// <param name="watchNamespace">The namespace every namespaced informer is scoped to (null: all).</param>
/// <param name="created">Called once for each informer when it is created (the manager hooks its applier's memo to deletes).</param>
public sealed class InformerFactory(KubeApi api, ILoggerFactory loggers, string? watchNamespace = null, Action<IInformer>? created = null)
{
    private readonly Dictionary<(ResourceType, string?), IInformer> informers = [];
    private readonly List<Task> running = [];
    private CancellationToken runToken;
    private bool started;

    /// <summary>The namespace every informer is scoped to (null: all).</summary>
    public string? WatchNamespace { get; } = watchNamespace;

    /// <summary>The shared informer for <typeparamref name="T"/>, created on first use.</summary>
    public Informer<T> Get<T>(ResourceType? type = null, string? labelSelector = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        type ??= ResourceType.For<T>();
        lock (informers)
        {
            if (informers.TryGetValue((type, labelSelector), out var existing))
            {
                return (Informer<T>)existing;
            }
            var scope = type.Namespaced ? WatchNamespace : null;
            var informer = new Informer<T>(api, type, scope, labelSelector, loggers.CreateLogger($"MedOps.Runtime.Informer.{type.Kind}"));
            informers[(type, labelSelector)] = informer;
            created?.Invoke(informer);
            if (started)
            {
                running.Add(Task.Run(() => informer.RunAsync(runToken), runToken));
            }
            return informer;
        }
    }

    /// <summary>True when every informer has filled its cache once.</summary>
    public bool AllSynced
    {
        get
        {
            lock (informers)
            {
                return informers.Values.All(i => i.HasSynced);
            }
        }
    }

    /// <summary>Kinds whose caches have not synced yet (for /readyz messages).</summary>
    public IReadOnlyList<string> Unsynced()
    {
        lock (informers)
        {
            return informers.Values.Where(i => !i.HasSynced).Select(i => i.Type.Kind).ToList();
        }
    }

    /// <summary>Starts every informer, and any created later, until <paramref name="cancellationToken"/> fires.</summary>
    public void Start(CancellationToken cancellationToken)
    {
        lock (informers)
        {
            runToken = cancellationToken;
            started = true;
            foreach (var informer in informers.Values)
            {
                running.Add(Task.Run(() => informer.RunAsync(cancellationToken), cancellationToken));
            }
        }
    }

    /// <summary>Waits until every cache has synced.</summary>
    public async Task WaitForSyncAsync(CancellationToken cancellationToken)
    {
        while (!AllSynced)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Waits for the informer loops to end after cancellation.</summary>
    public Task StoppedAsync()
    {
        lock (informers)
        {
            return Task.WhenAll(running);
        }
    }
}
