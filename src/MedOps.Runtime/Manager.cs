using k8s;
using MedOps.Runtime.Api;
using MedOps.Runtime.Controllers;
using MedOps.Runtime.Events;
using MedOps.Runtime.Http;
using MedOps.Runtime.Informers;
using MedOps.Runtime.Status;
using MedOps.Runtime.Writes;
using Microsoft.Extensions.Logging;

namespace MedOps.Runtime;

/// <summary>Options of a <see cref="Manager"/>.</summary>
public sealed record ManagerOptions
{
    /// <summary>Namespace to watch; null watches all.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary>Client-side request rate; 0 or less turns the client-side limit off.</summary>
    public double Qps { get; init; } = 100;

    /// <summary>Client-side burst.</summary>
    public int Burst { get; init; } = 200;

    /// <summary>
    /// Whether the client-side limit is lifted once the apiserver shows it runs API Priority and
    /// Fairness (see <see cref="ApiClientHandler"/>); it then protects only older servers.
    /// </summary>
    public bool LiftRateLimitWhenServerHasFairness { get; init; } = true;

    /// <summary>Source name on Events and field manager of writes.</summary>
    public string Component { get; init; } = ChildApplier.DefaultFieldManager;

    /// <summary>
    /// A handler that answers every request itself instead of the network: the seam under the
    /// reconcilers, where unit tests put an in-memory API server. Null (the network) in the operator.
    /// </summary>
    public DelegatingHandler? Transport { get; init; }
}

/// <summary>
/// What controllers share: one API client (rate-limited, measured), one informer per kind, the
/// writers and the event recorder. Caches start at once (a standby's caches are warm when it
/// takes over); controllers start only when <see cref="RunControllersAsync"/> is called, which
/// the host does while it holds the leader lease.
/// </summary>
public sealed class Manager : IDisposable
{
    private readonly List<IController> controllers = [];
    private readonly ILogger logger;

    /// <summary>Creates the manager and its client from a kubeconfig-derived configuration.</summary>
    public Manager(KubernetesClientConfiguration config, ManagerOptions options, ILoggerFactory loggers)
    {
        Options = options;
        Loggers = loggers;
        logger = loggers.CreateLogger<Manager>();
        ClientHandler = new ApiClientHandler(options.Qps, options.Burst, liftWhenServerHasFairness: options.LiftRateLimitWhenServerHasFairness);
        Client = options.Transport is null ? new Kubernetes(config, ClientHandler) : new Kubernetes(config, ClientHandler, options.Transport);
        Api = new KubeApi(Client);
        Applier = new ChildApplier(Api, options.Component);
        // A child deleted by anyone (the garbage collector after its owner, a person) leaves the
        // applier's memo too: with churn the memo would otherwise only grow.
        Informers = new InformerFactory(Api, loggers, options.WatchNamespace,
            informer => informer.OnDeleted(key => Applier.Forget(informer.Type, key)));
        Children = new ChildWriter(Applier, Api);
        Status = new StatusWriter(Api, options.Component);
        Finalizers = new FinalizerWriter(Api);
        Discovery = new ApiDiscovery(Api);
        Events = new EventRecorder(Api, options.Component, loggers.CreateLogger<EventRecorder>());
    }

    /// <summary>The options.</summary>
    public ManagerOptions Options { get; }

    /// <summary>The client's rate limiting and retry handler (tells whether the client-side limit is on).</summary>
    public ApiClientHandler ClientHandler { get; }

    /// <summary>Loggers for controllers.</summary>
    public ILoggerFactory Loggers { get; }

    /// <summary>The typed client (for the rare call the runtime does not wrap).</summary>
    public Kubernetes Client { get; }

    /// <summary>The generic REST layer.</summary>
    public KubeApi Api { get; }

    /// <summary>The shared informers.</summary>
    public InformerFactory Informers { get; }

    /// <summary>Server-side apply of children, skipped when nothing changed.</summary>
    public ChildApplier Applier { get; }

    /// <summary>Status subresource writes, skipped when nothing changed.</summary>
    public StatusWriter Status { get; }

    /// <summary>Applies wanted children and deletes unwanted ones of ours, noting what changed.</summary>
    public ChildWriter Children { get; }

    /// <summary>Finalizers added and removed by optimistic patches.</summary>
    public FinalizerWriter Finalizers { get; }

    /// <summary>What the cluster serves.</summary>
    public ApiDiscovery Discovery { get; }

    /// <summary>De-duplicating event recorder.</summary>
    public EventRecorder Events { get; }

    /// <summary>True once every cache has synced: gates /readyz.</summary>
    public bool CachesSynced => Informers.AllSynced;

    /// <summary>Registers a controller.</summary>
    public void Add(IController controller) => controllers.Add(controller);

    /// <summary>Starts the caches and the event writer; returns at once.</summary>
    public void StartCaches(CancellationToken cancellationToken)
    {
        Informers.Start(cancellationToken);
        _ = Task.Run(() => Events.RunAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>Waits for the caches, then runs every controller until cancelled.</summary>
    public async Task RunControllersAsync(CancellationToken cancellationToken)
    {
        await Informers.WaitForSyncAsync(cancellationToken);
        logger.LogInformation("caches synced; starting {Count} controllers", controllers.Count);
        await Task.WhenAll(controllers.Select(c => c.RunAsync(cancellationToken)));
    }

    /// <inheritdoc/>
    public void Dispose() => Client.Dispose();
}
