using MedOps.IntegrationTests.Api;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Operator;

/// <summary>Starts the operator process against the local cluster as identity <c>medops-dev</c>.</summary>
internal static class OperatorOnCluster
{
    /// <summary>
    /// Installs the MedOps CRDs if needed (the operator refuses to start without them), then
    /// starts the operator with the given extra flags (the kubeconfig and ports are added).
    /// </summary>
    public static async Task<OperatorProcess> StartOperatorAsync(this LocalCluster cluster, params string[] flags)
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        return OperatorProcess.StartWithKubeconfig(OperatorProcess.DevKubeconfig, flags);
    }
}
