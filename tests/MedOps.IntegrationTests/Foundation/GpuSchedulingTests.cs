using k8s;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Foundation;

/// <summary>
/// The real kube-scheduler places pods on the simulated nodes exactly as it would on real ones:
/// GPU limits plus the GPU toleration go to GPU nodes, everything else stays off them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GpuSchedulingTests(LocalCluster cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Simulated_nodes_are_ready_untainted_and_carry_gpu_discovery_labels()
    {
        var nodes = await cluster.Client.CoreV1.ListNodeAsync(labelSelector: "medops.io/simulated=true");

        Assert.Contains(nodes.Items, n => n.Metadata.Labels.TryGetValue("nvidia.com/gpu.product", out var p) && p == "NVIDIA-A100-SXM4-80GB"
            && n.Metadata.Labels["nvidia.com/gpu.memory"] == "81920");
        Assert.Contains(nodes.Items, n => n.Metadata.Labels.TryGetValue("nvidia.com/gpu.product", out var p) && p == "Tesla-T4"
            && n.Metadata.Labels["nvidia.com/gpu.memory"] == "15360");
        Assert.Contains(nodes.Items, n => !n.Metadata.Labels.ContainsKey("nvidia.com/gpu.product"));
        foreach (var node in nodes.Items)
        {
            Assert.Equal("True", node.Status.Conditions.Single(c => c.Type == "Ready").Status);
            Assert.DoesNotContain(node.Spec.Taints ?? [], t => t.Key == "node.kubernetes.io/not-ready");
            var isGpu = node.Metadata.Labels.ContainsKey("nvidia.com/gpu.product");
            Assert.Equal(isGpu, (node.Spec.Taints ?? []).Any(t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule"));
            Assert.Equal(isGpu, node.Status.Allocatable.ContainsKey("nvidia.com/gpu"));
        }
    }

    [Fact]
    public async Task A_gpu_deployment_with_the_toleration_runs_ready_on_a_gpu_node()
    {
        await using var ns = await cluster.CreateNamespaceAsync("gpu-sched");
        var deployment = PodFactory.Deployment("infer", PodFactory.Container(gpus: 1), PodFactory.GpuToleration);
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns.Name);

        var ready = await Eventually.WaitForAsync(
            () => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("infer", ns.Name),
            d => d.Status?.ReadyReplicas == 1,
            Timeout,
            "the GPU deployment to have one ready replica");
        Assert.Equal(1, ready.Status.AvailableReplicas);

        var pod = (await cluster.Client.CoreV1.ListNamespacedPodAsync(ns.Name, labelSelector: "app=infer")).Items.Single();
        var node = await cluster.Client.CoreV1.ReadNodeAsync(pod.Spec.NodeName);
        Assert.True(node.Metadata.Labels.ContainsKey("nvidia.com/gpu.product"), $"placed on {pod.Spec.NodeName}, not a GPU node");
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Contains(pod.Status.Conditions, c => c.Type == "Ready" && c.Status == "True");
    }

    [Fact]
    public async Task A_product_affinity_keeps_a_pod_on_nodes_of_that_product()
    {
        await using var ns = await cluster.CreateNamespaceAsync("gpu-product");
        var deployment = PodFactory.Deployment("t4-only", PodFactory.Container(gpus: 1), PodFactory.GpuToleration, PodFactory.RequireGpuProduct("Tesla-T4"));
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns.Name);

        await Eventually.WaitForAsync(
            () => cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("t4-only", ns.Name),
            d => d.Status?.ReadyReplicas == 1,
            Timeout,
            "the T4 deployment to be ready");
        var pod = (await cluster.Client.CoreV1.ListNamespacedPodAsync(ns.Name, labelSelector: "app=t4-only")).Items.Single();
        var node = await cluster.Client.CoreV1.ReadNodeAsync(pod.Spec.NodeName);
        Assert.Equal("Tesla-T4", node.Metadata.Labels["nvidia.com/gpu.product"]);
    }

    [Fact]
    public async Task A_pod_without_the_gpu_toleration_is_never_placed_on_a_gpu_node()
    {
        await using var ns = await cluster.CreateNamespaceAsync("no-toleration");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(PodFactory.Pod("plain", PodFactory.Container()), ns.Name);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(PodFactory.Pod("wants-gpu", PodFactory.Container(gpus: 1)), ns.Name);

        var plain = await Eventually.WaitForAsync(
            () => cluster.Client.CoreV1.ReadNamespacedPodAsync("plain", ns.Name),
            p => p.Status?.Phase == "Running",
            Timeout,
            "the plain pod to run");
        var plainNode = await cluster.Client.CoreV1.ReadNodeAsync(plain.Spec.NodeName);
        Assert.False(plainNode.Metadata.Labels.ContainsKey("nvidia.com/gpu.product"), $"plain pod landed on GPU node {plain.Spec.NodeName}");

        // The scheduler reports why it cannot place the GPU pod: every GPU node is tainted and
        // no CPU node has the resource.
        var unschedulable = await Eventually.WaitForAsync(
            () => cluster.Client.CoreV1.ReadNamespacedPodAsync("wants-gpu", ns.Name),
            p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable") == true,
            Timeout,
            "the scheduler to mark the untolerated GPU pod unschedulable");
        Assert.Null(unschedulable.Spec.NodeName);
        Assert.Contains("taint", unschedulable.Status.Conditions.Single(c => c.Type == "PodScheduled").Message, StringComparison.OrdinalIgnoreCase);
    }
}
