using k8s;
using MedOps.Operator.Telemetry;

namespace MedOps.Operator.Cluster;

/// <summary>Creates the operator's one Kubernetes client, with request metrics in its HTTP pipeline.</summary>
internal static class KubernetesClientFactory
{
    /// <summary>Creates a client for <paramref name="configuration"/>.</summary>
    public static IKubernetes Create(KubernetesClientConfiguration configuration)
    {
        // Names the operator in the API server's audit log and request metrics; the pid tells
        // two replicas apart there (a deposed leader must make no writes).
        configuration.UserAgent = $"medops-operator/{OperatorVersion.Current} (pid {Environment.ProcessId})";
        return new Kubernetes(configuration, new RestClientMetricsHandler());
    }
}
