using MedOps.Operator.Configuration;

namespace MedOps.Operator.LeaderElection;

/// <summary>Registers the <see cref="ILeadership"/> that <c>--leader-elect</c> asks for.</summary>
internal static class LeadershipRegistration
{
    /// <summary>Lease-based leadership with <c>--leader-elect</c>, immediate leadership without.</summary>
    public static IServiceCollection AddLeadership(this IServiceCollection services, OperatorOptions options)
    {
        if (!options.LeaderElect)
        {
            return services.AddSingleton<ILeadership, ImmediateLeadership>();
        }

        return services
            .AddSingleton(LeaderElectionSettings.From(options))
            .AddSingleton<ILeaseStore, KubernetesLeaseStore>()
            .AddSingleton<LeaseElector>()
            .AddSingleton<ILeadership, LeaseLeadership>();
    }
}
