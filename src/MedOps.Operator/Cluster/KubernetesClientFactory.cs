using k8s;

namespace MedOps.Operator.Cluster;

/// <summary>
/// Names the operator on its one Kubernetes client, which the controller runtime's manager
/// builds (with the rate limit, 429 retries and <c>rest_client_requests_total</c> in its HTTP
/// pipeline) and the host shares for the leader lease.
/// </summary>
internal static class KubernetesClientFactory
{
    /// <summary>Sets the user agent of clients made from <paramref name="configuration"/>.</summary>
    public static KubernetesClientConfiguration NameTheOperator(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Names the operator in the API server's audit log and request metrics; the pid tells
        // two replicas apart there (a deposed leader must make no writes).
        configuration.UserAgent = $"medops-operator/{OperatorVersion.Current} (pid {Environment.ProcessId})";
        return configuration;
    }
}
