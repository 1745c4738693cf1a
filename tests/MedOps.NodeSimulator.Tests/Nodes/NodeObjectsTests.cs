using k8s.Models;
using MedOps.NodeSimulator.Nodes;

namespace MedOps.NodeSimulator.Tests.Nodes;

public class NodeObjectsTests
{
    private static readonly IReadOnlyList<SimulatedNode> Fleet = NodeCatalog.Build(new SimulatorOptions());
    private static readonly SimulatedNode Gpu = Fleet.Single(n => n.Name == "sim-gpu-a100-0");
    private static readonly SimulatedNode Cpu = Fleet.Single(n => n.Name == "sim-cpu-0");
    private static readonly DateTime Now = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_new_node_carries_its_labels_and_taints()
    {
        var node = NodeObjects.NewNode(Gpu);

        Assert.Equal("sim-gpu-a100-0", node.Metadata.Name);
        Assert.Equal("NVIDIA-A100-SXM4-80GB", node.Metadata.Labels["nvidia.com/gpu.product"]);
        Assert.Equal("nvidia.com/gpu", Assert.Single(node.Spec.Taints).Key);
    }

    [Fact]
    public void The_status_patch_reports_ready_with_capacity_and_a_kubelet_version()
    {
        var status = NodeObjects.StatusPatch(Gpu, null, Now)["status"]!.AsObject();

        Assert.Equal("8", status["capacity"]!["nvidia.com/gpu"]!.GetValue<string>());
        Assert.Equal("8", status["allocatable"]!["nvidia.com/gpu"]!.GetValue<string>());
        var conditions = status["conditions"]!.AsArray().Select(c => (c!["type"]!.GetValue<string>(), c["status"]!.GetValue<string>())).ToList();
        Assert.Contains(("Ready", "True"), conditions);
        Assert.Contains(("MemoryPressure", "False"), conditions);
        Assert.Contains(("DiskPressure", "False"), conditions);
        Assert.Contains(("PIDPressure", "False"), conditions);
        Assert.Equal("v1.20.2", status["nodeInfo"]!["kubeletVersion"]!.GetValue<string>());
        var internalIp = status["addresses"]!.AsArray().Single(a => a!["type"]!.GetValue<string>() == "InternalIP");
        Assert.Equal(Gpu.InternalIp, internalIp!["address"]!.GetValue<string>());
    }

    [Fact]
    public void A_heartbeat_moves_the_heartbeat_time_but_not_the_transition_time()
    {
        var since = Now.AddHours(-1);
        var current = new V1Node
        {
            Status = new V1NodeStatus
            {
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastTransitionTime = since, LastHeartbeatTime = since }],
            },
        };

        var ready = NodeObjects.StatusPatch(Cpu, current, Now)["status"]!["conditions"]!.AsArray()
            .Single(c => c!["type"]!.GetValue<string>() == "Ready")!;

        Assert.Equal("2025-01-01T11:00:00Z", ready["lastTransitionTime"]!.GetValue<string>());
        Assert.Equal("2025-01-01T12:00:00Z", ready["lastHeartbeatTime"]!.GetValue<string>());
    }

    [Fact]
    public void The_lifecycle_taints_are_removed_and_the_gpu_taint_kept()
    {
        IList<V1Taint> current =
        [
            new() { Key = "node.kubernetes.io/not-ready", Effect = "NoSchedule" },
            new() { Key = "node.kubernetes.io/unreachable", Effect = "NoExecute" },
            new() { Key = "nvidia.com/gpu", Effect = "NoSchedule" },
            new() { Key = "example.org/dedicated", Value = "ml", Effect = "NoSchedule" },
        ];

        var desired = NodeObjects.DesiredTaints(Gpu, current);

        Assert.NotNull(desired);
        Assert.Equal(["nvidia.com/gpu", "example.org/dedicated"], desired.Select(t => t.Key));
    }

    [Fact]
    public void A_missing_gpu_taint_is_put_back()
    {
        var desired = NodeObjects.DesiredTaints(Gpu, []);

        Assert.Equal("nvidia.com/gpu", Assert.Single(desired!).Key);
    }

    [Fact]
    public void Right_taints_need_no_change()
    {
        Assert.Null(NodeObjects.DesiredTaints(Gpu, [new V1Taint { Key = "nvidia.com/gpu", Effect = "NoSchedule" }]));
        Assert.Null(NodeObjects.DesiredTaints(Cpu, null));
    }

    [Fact]
    public void Only_missing_or_different_labels_are_patched()
    {
        var current = new Dictionary<string, string>(Cpu.Labels) { ["kubernetes.io/arch"] = "arm64", ["team"] = "ml" };

        var missing = NodeObjects.MissingLabels(Cpu, current);

        Assert.Equal(new Dictionary<string, string> { ["kubernetes.io/arch"] = "amd64" }, missing);
        Assert.Null(NodeObjects.MissingLabels(Cpu, new Dictionary<string, string>(Cpu.Labels)));
    }

    [Fact]
    public void The_spec_patch_is_guarded_by_the_resource_version()
    {
        var patch = NodeObjects.SpecPatch("42", null, [new V1Taint { Key = "nvidia.com/gpu", Effect = "NoSchedule" }]);

        Assert.Equal("42", patch["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Null(patch["metadata"]!["labels"]);
        Assert.Equal("nvidia.com/gpu", patch["spec"]!["taints"]![0]!["key"]!.GetValue<string>());
    }

    [Fact]
    public void Ready_means_a_ready_true_condition()
    {
        Assert.False(NodeObjects.IsReady(null));
        Assert.True(NodeObjects.IsReady(new V1Node
        {
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }] },
        }));
    }
}
