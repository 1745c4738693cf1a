using MedOps.NodeSimulator.Nodes;

namespace MedOps.NodeSimulator.Tests.Nodes;

public class NodeCatalogTests
{
    private static readonly IReadOnlyList<SimulatedNode> Defaults = NodeCatalog.Build(new SimulatorOptions());

    private static SimulatedNode Node(string name) => Defaults.Single(n => n.Name == name);

    [Fact]
    public void The_default_fleet_has_two_cpu_two_a100_and_one_t4_node()
    {
        Assert.Equal(["sim-cpu-0", "sim-cpu-1", "sim-gpu-a100-0", "sim-gpu-a100-1", "sim-gpu-t4-0"], Defaults.Select(n => n.Name));
    }

    [Fact]
    public void Every_node_is_labelled_as_simulated_linux_amd64_with_its_hostname()
    {
        foreach (var node in Defaults)
        {
            Assert.Equal("true", node.Labels["medops.io/simulated"]);
            Assert.Equal(node.Name, node.Labels["kubernetes.io/hostname"]);
            Assert.Equal("linux", node.Labels["kubernetes.io/os"]);
            Assert.Equal("amd64", node.Labels["kubernetes.io/arch"]);
            Assert.Equal("110", node.Capacity["pods"]);
        }
    }

    [Fact]
    public void Cpu_nodes_have_no_gpus_and_no_taints()
    {
        var node = Node("sim-cpu-0");

        Assert.Equal("16", node.Capacity["cpu"]);
        Assert.Equal("64Gi", node.Capacity["memory"]);
        Assert.False(node.Capacity.ContainsKey("nvidia.com/gpu"));
        Assert.False(node.Labels.ContainsKey("nvidia.com/gpu.product"));
        Assert.Empty(node.Taints);
    }

    [Fact]
    public void A100_nodes_look_like_gpu_feature_discovery_labelled_them()
    {
        var node = Node("sim-gpu-a100-1");

        Assert.Equal("64", node.Capacity["cpu"]);
        Assert.Equal("512Gi", node.Capacity["memory"]);
        Assert.Equal("8", node.Capacity["nvidia.com/gpu"]);
        Assert.Equal("2", node.Capacity["nvidia.com/GA100_A100_PCIE_40GB"]);
        Assert.Equal("NVIDIA-A100-SXM4-80GB", node.Labels["nvidia.com/gpu.product"]);
        Assert.Equal("81920", node.Labels["nvidia.com/gpu.memory"]);
        Assert.Equal("8", node.Labels["nvidia.com/gpu.count"]);
        var taint = Assert.Single(node.Taints);
        Assert.Equal(("nvidia.com/gpu", "NoSchedule"), (taint.Key, taint.Effect));
    }

    [Fact]
    public void T4_nodes_have_four_t4_gpus()
    {
        var node = Node("sim-gpu-t4-0");

        Assert.Equal("32", node.Capacity["cpu"]);
        Assert.Equal("128Gi", node.Capacity["memory"]);
        Assert.Equal("4", node.Capacity["nvidia.com/gpu"]);
        Assert.Equal("Tesla-T4", node.Labels["nvidia.com/gpu.product"]);
        Assert.Equal("15360", node.Labels["nvidia.com/gpu.memory"]);
        Assert.Single(node.Taints);
    }

    [Fact]
    public void Every_node_has_its_own_loopback_address()
    {
        var nodes = NodeCatalog.Build(new SimulatorOptions { CpuNodes = 100, GpuA100Nodes = 50, GpuT4Nodes = 50 });

        Assert.Equal(200, nodes.Select(n => n.InternalIp).Distinct().Count());
        Assert.Equal("127.0.0.2", nodes[0].InternalIp);
        Assert.Equal("127.0.0.201", nodes[^1].InternalIp);
    }
}
