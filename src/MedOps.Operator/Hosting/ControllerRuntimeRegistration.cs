using k8s;
using MedOps.Controllers;
using MedOps.Operator.Configuration;
using MedOps.Operator.Health;
using MedOps.Runtime;
using MedOps.Runtime.Api;

namespace MedOps.Operator.Hosting;

/// <summary>Puts the controller runtime into the operator host.</summary>
internal static class ControllerRuntimeRegistration
{
    /// <summary>
    /// Creates the manager (one client, shared caches) and registers the MedOps controllers.
    /// Missing CRDs or an unreachable apiserver end the start-up with one clear line.
    /// </summary>
    public static async Task<Manager> CreateManagerAsync(KubernetesClientConfiguration config, OperatorOptions options)
    {
        var loggers = LoggerFactory.Create(OperatorLogging.Configure);
        var manager = new Manager(config, new ManagerOptions
        {
            WatchNamespace = options.WatchNamespace,
            Qps = options.KubeApiQps ?? OperatorOptions.DefaultKubeApiQps,
            Burst = options.KubeApiBurst,
            LiftRateLimitWhenServerHasFairness = options.KubeApiQps is null,
        }, loggers);
        var settings = new ControllerSettings
        {
            ModelInitializerImage = options.ModelInitializerImage,
            PhiEgressCidrs = options.PhiEgressCidrs,
            Guardrails = Webhook.WebhookRegistration.Guardrails(options),
            DefaultWorkspaceLifecycle = options.DefaultWorkspaceLifecycle,
            MaxConcurrentReconciles = options.MaxConcurrentReconciles,
            Audit = AuditRegistration.Sink(manager, options),
        };
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await MedOpsControllers.RegisterAsync(manager, settings, timeout.Token).ConfigureAwait(false);
            LogRateLimit(loggers.CreateLogger(typeof(ControllerRuntimeRegistration)), manager);
        }
        catch (MissingCrdsException ex)
        {
            manager.Dispose();
            throw new StartupException(ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or KubeApiException or OperationCanceledException or TimeoutException)
        {
            manager.Dispose();
            throw new StartupException($"cannot reach the Kubernetes API at {config.Host}: {ex.Message}");
        }
        return manager;
    }

    /// <summary>
    /// Two components over the manager: the caches, which run on every replica so a standby is
    /// warm when it takes over, and the controllers, which run only while this replica leads.
    /// </summary>
    public static IServiceCollection AddControllerRuntime(this IServiceCollection services, Manager manager)
    {
        services.AddSingleton(manager);
        services.AddSingleton<IOperatorComponent, CachesComponent>();
        services.AddSingleton<IOperatorComponent, ControllersComponent>();
        return services;
    }

    // Discovery has talked to the apiserver by now, so the handler knows whether it runs APF.
    private static void LogRateLimit(ILogger logger, Manager manager)
    {
        if (manager.ClientHandler.IsRateLimited)
        {
            logger.LogInformation("client-side rate limit: {Qps} requests/s, burst {Burst}", manager.Options.Qps, manager.Options.Burst);
        }
        else
        {
            logger.LogInformation("client-side rate limit: off (the API server applies API Priority and Fairness, or --kube-api-qps is -1)");
        }
    }
}

/// <summary>Runs the informers on every replica and gates /readyz on their first sync.</summary>
internal sealed class CachesComponent(Manager manager, ReadinessGate readiness) : IOperatorComponent
{
    public string Name => "informer caches";

    public bool NeedsLeaderElection => false;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var check = readiness.Register("informers-synced", () => manager.CachesSynced);
        manager.StartCaches(stoppingToken);
        await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
    }
}

/// <summary>Runs the controllers while this replica leads.</summary>
internal sealed class ControllersComponent(Manager manager) : IOperatorComponent
{
    public string Name => "controllers";

    public Task RunAsync(CancellationToken stoppingToken) => manager.RunControllersAsync(stoppingToken);

}
