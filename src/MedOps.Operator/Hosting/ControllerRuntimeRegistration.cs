using k8s;
using MedOps.Operator.Configuration;
using MedOps.Operator.Health;
using MedOps.Runtime;

namespace MedOps.Operator.Hosting;

/// <summary>Adds one controller (its informers, watches and reconciler) to the manager.</summary>
public interface IControllerRegistration
{
    /// <summary>Creates the controller and adds it to <paramref name="manager"/>.</summary>
    void Register(Manager manager, OperatorOptions options);
}

/// <summary>Puts the controller runtime into the operator host.</summary>
internal static class ControllerRuntimeRegistration
{
    /// <summary>
    /// The manager (one client, shared caches) and two components: the caches, which run on
    /// every replica so a standby is warm when it takes over, and the controllers, which run
    /// only while this replica holds the lease.
    /// </summary>
    public static IServiceCollection AddControllerRuntime(this IServiceCollection services, KubernetesClientConfiguration config)
    {
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<OperatorOptions>();
            var manager = new Manager(config, new ManagerOptions { WatchNamespace = options.WatchNamespace }, provider.GetRequiredService<ILoggerFactory>());
            foreach (var registration in provider.GetServices<IControllerRegistration>())
            {
                registration.Register(manager, options);
            }
            return manager;
        });
        services.AddSingleton<IOperatorComponent, CachesComponent>();
        services.AddSingleton<IOperatorComponent, ControllersComponent>();
        return services;
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
