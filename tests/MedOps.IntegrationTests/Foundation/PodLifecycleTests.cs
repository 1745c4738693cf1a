using k8s;
using k8s.Models;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Foundation;

/// <summary>
/// The node simulator finishes containers as the pod asks through its documented env
/// convention (docs/node-simulator.md), and completes deletions a kubelet would complete.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PodLifecycleTests(LocalCluster cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(0, "Succeeded")]
    [InlineData(3, "Failed")]
    public async Task A_container_exits_with_the_code_it_asks_for(int exitCode, string expectedPhase)
    {
        await using var ns = await cluster.CreateNamespaceAsync("exit-code");
        var container = PodFactory.Container(0,
            new V1EnvVar { Name = "MEDOPS_SIM_EXIT_CODE", Value = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new V1EnvVar { Name = "MEDOPS_SIM_RUN_SECONDS", Value = "0.5" });
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(PodFactory.Pod("worker", container), ns.Name);

        var pod = await Eventually.WaitForAsync(
            () => cluster.Client.CoreV1.ReadNamespacedPodAsync("worker", ns.Name),
            p => p.Status?.Phase is "Succeeded" or "Failed",
            Timeout,
            "the worker to finish");

        Assert.Equal(expectedPhase, pod.Status.Phase);
        Assert.Equal(exitCode, pod.Status.ContainerStatuses.Single().State.Terminated.ExitCode);
    }

    [Fact]
    public async Task A_deleted_pod_on_a_simulated_node_goes_away()
    {
        await using var ns = await cluster.CreateNamespaceAsync("delete-pod");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(PodFactory.Pod("server", PodFactory.Container()), ns.Name);
        await Eventually.WaitForAsync(
            () => cluster.Client.CoreV1.ReadNamespacedPodAsync("server", ns.Name),
            p => p.Status?.Phase == "Running",
            Timeout,
            "the server to run");

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("server", ns.Name);

        await Eventually.WaitUntilAsync(
            async () => (await cluster.Client.CoreV1.ListNamespacedPodAsync(ns.Name)).Items.Count == 0,
            Timeout,
            "the deleted pod to be gone (graceful deletion completed by the simulator)");
    }
}
