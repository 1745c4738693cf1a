using k8s.Models;

namespace MedOps.NodeSimulator.Nodes;

/// <summary>
/// The fixed fleet the simulator plays: CPU nodes, A100 nodes and T4 nodes, labelled the way
/// NVIDIA GPU feature discovery labels real GPU nodes, so MedOps's node affinity
/// (<c>nvidia.com/gpu.product</c>, <c>nvidia.com/gpu.memory</c>) selects them as it would in production.
/// </summary>
internal static class NodeCatalog
{
    public const string SimulatedLabel = "medops.io/simulated";
    public const string GpuResource = "nvidia.com/gpu";
    public const string GpuProductLabel = "nvidia.com/gpu.product";
    public const string GpuMemoryLabel = "nvidia.com/gpu.memory";
    public const string GpuCountLabel = "nvidia.com/gpu.count";

    /// <summary>The device KubeVirt passes through to a VM (GPU passthrough by PCI resource name).</summary>
    public const string A100PassthroughResource = "nvidia.com/GA100_A100_PCIE_40GB";

    public static IReadOnlyList<SimulatedNode> Build(SimulatorOptions options)
    {
        var nodes = new List<SimulatedNode>();
        for (var i = 0; i < options.CpuNodes; i++)
        {
            nodes.Add(Node($"sim-cpu-{i}", nodes.Count, cpu: "16", memory: "64Gi", gpu: null));
        }

        for (var i = 0; i < options.GpuA100Nodes; i++)
        {
            var a100 = new GpuModel("NVIDIA-A100-SXM4-80GB", MemoryMiB: "81920", Count: 8,
                ExtraResources: new Dictionary<string, string> { [A100PassthroughResource] = "2" });
            nodes.Add(Node($"sim-gpu-a100-{i}", nodes.Count, cpu: "64", memory: "512Gi", a100));
        }

        for (var i = 0; i < options.GpuT4Nodes; i++)
        {
            var t4 = new GpuModel("Tesla-T4", MemoryMiB: "15360", Count: 4, ExtraResources: new Dictionary<string, string>());
            nodes.Add(Node($"sim-gpu-t4-{i}", nodes.Count, cpu: "32", memory: "128Gi", t4));
        }

        return nodes;
    }

    private sealed record GpuModel(string Product, string MemoryMiB, int Count, IReadOnlyDictionary<string, string> ExtraResources);

    private static SimulatedNode Node(string name, int index, string cpu, string memory, GpuModel? gpu)
    {
        var labels = new Dictionary<string, string>
        {
            [SimulatedLabel] = "true",
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
        };
        var capacity = new Dictionary<string, string>
        {
            ["cpu"] = cpu,
            ["memory"] = memory,
            ["pods"] = "110",
            ["ephemeral-storage"] = "500Gi",
        };
        var taints = new List<V1Taint>();

        if (gpu is not null)
        {
            labels[GpuProductLabel] = gpu.Product;
            labels[GpuMemoryLabel] = gpu.MemoryMiB;
            labels[GpuCountLabel] = gpu.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            capacity[GpuResource] = labels[GpuCountLabel];
            foreach (var (resource, amount) in gpu.ExtraResources)
            {
                capacity[resource] = amount;
            }

            // As GPU node pools usually are: only pods that tolerate it (and ask for GPUs) land here.
            taints.Add(new V1Taint { Key = GpuResource, Effect = "NoSchedule" });
        }

        // 127.0.0.0/8 is all loopback on Linux, so every node gets a distinct, reachable-looking address.
        return new SimulatedNode(name, $"127.0.0.{index + 2}", labels, capacity, taints);
    }
}
