using System.Text.Json.Nodes;
using k8s.Models;
using MedOps.NodeSimulator.Nodes;
using MedOps.NodeSimulator.KubeVirt;
using static MedOps.NodeSimulator.Tests.KubeVirt.Vms;

namespace MedOps.NodeSimulator.Tests.KubeVirt;

public class VirtualMachinePlannerTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);
    private const string GpuToleration = """[{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]""";

    // A CPU node, and an A100 node that offers passthrough GPUs and is tainted as GPU pools are.
    private static readonly IReadOnlyList<SimulatedNode> NodeResources =
    [
        new("cpu-0", "127.0.0.2", new Dictionary<string, string> { ["medops.io/pool"] = "workspaces" }, new Dictionary<string, string> { ["cpu"] = "16", ["memory"] = "64Gi" }, []),
        new("a100-0", "127.0.0.3", new Dictionary<string, string>(),
            new Dictionary<string, string> { ["cpu"] = "64", ["nvidia.com/gpu"] = "8", ["nvidia.com/GA100_A100_PCIE_40GB"] = "8" },
            [new V1Taint { Key = "nvidia.com/gpu", Effect = "NoSchedule" }]),
    ];

    private static Dictionary<string, JsonObject> Volumes(params JsonObject[] dataVolumes) =>
        dataVolumes.ToDictionary(dv => dv["metadata"]!["name"]!.GetValue<string>());

    private static readonly Dictionary<string, JsonObject> Imported = Volumes(DataVolume(phase: "Succeeded"));

    /// <summary>Plans and applies the new status to the VM, as the apiserver would.</summary>
    private static VirtualMachineDecision Step(JsonObject vm, IReadOnlyDictionary<string, JsonObject> volumes, DateTime now)
    {
        var decision = VirtualMachinePlanner.Plan(vm, volumes, NodeResources, now, Delay);
        if (decision.Status is not null)
        {
            vm["status"] = decision.Status.DeepClone();
        }

        return decision;
    }

    [Fact]
    public void Missing_data_volumes_are_created_from_the_templates_and_owned_by_the_vm()
    {
        var decision = VirtualMachinePlanner.Plan(VirtualMachine(), Volumes(), NodeResources, Created, Delay);

        var dv = Assert.Single(decision.DataVolumesToCreate);
        Assert.Equal("cdi.kubevirt.io/v1beta1", Text(dv, "apiVersion"));
        Assert.Equal("DataVolume", Text(dv, "kind"));
        Assert.Equal("dr-smith-rootdisk", Text(dv, "metadata", "name"));
        Assert.Equal("research", Text(dv, "metadata", "namespace"));
        Assert.Equal("dr-smith", Text(dv, "metadata", "labels", "medops.io/workspace"));
        Assert.Equal("20Gi", Text(dv, "spec", "storage", "resources", "requests", "storage"));
        Assert.Equal("docker://quay.io/containerdisks/ubuntu:22.04", Text(dv, "spec", "source", "registry", "url"));
        var owner = dv["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal("VirtualMachine", Text(owner, "kind"));
        Assert.Equal("dr-smith", Text(owner, "name"));
        Assert.Equal("vm-uid", Text(owner, "uid"));
        Assert.True(Flag(owner, "controller"));
    }

    [Fact]
    public void Existing_data_volumes_are_not_created_again()
    {
        var decision = VirtualMachinePlanner.Plan(VirtualMachine(), Imported, NodeResources, Created, Delay);

        Assert.Empty(decision.DataVolumesToCreate);
    }

    [Fact]
    public void A_running_vm_is_provisioning_while_its_data_volume_imports()
    {
        var vm = VirtualMachine();

        var decision = Step(vm, Volumes(DataVolume(phase: "ImportInProgress")), Created);

        Assert.Equal("Provisioning", Text(vm, "status", "printableStatus"));
        Assert.False(Flag(vm, "status", "ready"));
        Assert.Equal("False", Text(Condition(vm["status"]!.AsObject(), "Ready"), "status"));
        Assert.Null(decision.WakeAt);
    }

    [Fact]
    public void Once_its_data_volumes_succeeded_the_vm_starts_then_runs()
    {
        var vm = VirtualMachine();
        Step(vm, Volumes(DataVolume(phase: "ImportInProgress")), Created);

        var starting = Step(vm, Imported, Created.AddSeconds(2));
        Assert.Equal("Starting", Text(vm, "status", "printableStatus"));
        Assert.True(Flag(vm, "status", "created"));
        Assert.False(Flag(vm, "status", "ready"));
        Assert.Equal(Created.AddSeconds(2) + Delay, starting.WakeAt);
        Assert.Equal("Provisioning -> Starting", starting.Summary);

        Assert.Null(Step(vm, Imported, Created.AddSeconds(2.2)).Status);

        var running = Step(vm, Imported, starting.WakeAt!.Value);
        Assert.Equal("Running", Text(vm, "status", "printableStatus"));
        Assert.True(Flag(vm, "status", "ready"));
        Assert.True(Flag(vm, "status", "created"));
        Assert.Equal("True", Text(Condition(vm["status"]!.AsObject(), "Ready"), "status"));
        Assert.Null(running.WakeAt);
        Assert.Equal(3, vm["status"]!["observedGeneration"]!.GetValue<long>());
    }

    [Fact]
    public void A_running_vm_that_is_halted_stops_after_stopping()
    {
        var vm = VirtualMachine();
        Step(vm, Imported, Created);
        Step(vm, Imported, Created.AddSeconds(5));
        Assert.Equal("Running", Text(vm, "status", "printableStatus"));

        vm["spec"]!["runStrategy"] = "Halted";
        var stopping = Step(vm, Imported, Created.AddSeconds(10));
        Assert.Equal("Stopping", Text(vm, "status", "printableStatus"));
        Assert.False(Flag(vm, "status", "ready"));

        Step(vm, Imported, stopping.WakeAt!.Value);
        Assert.Equal("Stopped", Text(vm, "status", "printableStatus"));
        Assert.False(Flag(vm, "status", "created"));
        Assert.False(Flag(vm, "status", "ready"));
    }

    [Fact]
    public void A_halted_vm_that_never_ran_is_stopped_at_once()
    {
        var vm = VirtualMachine("\"runStrategy\": \"Halted\"");

        var decision = Step(vm, Volumes(), Created);

        Assert.Equal("Stopped", Text(vm, "status", "printableStatus"));
        Assert.Single(decision.DataVolumesToCreate); // KubeVirt creates the disks of a halted VM too
    }

    [Theory]
    [InlineData("\"running\": true", "Starting")]
    [InlineData("\"running\": false", "Stopped")]
    [InlineData("\"runStrategy\": \"RerunOnFailure\"", "Starting")]
    [InlineData("\"runStrategy\": \"Manual\"", "Stopped")]
    public void The_run_strategy_or_legacy_running_flag_decides(string spec, string expected)
    {
        var vm = VirtualMachine(spec);

        Step(vm, Imported, Created);

        Assert.Equal(expected, Text(vm, "status", "printableStatus"));
    }

    [Fact]
    public void A_manual_vm_starts_on_a_start_request_which_is_then_consumed()
    {
        var vm = VirtualMachine("\"runStrategy\": \"Manual\"");
        vm["status"] = JsonNode.Parse("""{"printableStatus": "Stopped", "stateChangeRequests": [{"action": "Start"}]}""");

        Step(vm, Imported, Created);

        Assert.Equal("Starting", Text(vm, "status", "printableStatus"));
        Assert.Null(vm["status"]!["stateChangeRequests"]);
    }

    [Fact]
    public void A_vm_asking_for_a_gpu_no_node_has_is_unschedulable()
    {
        var vm = VirtualMachine(gpus: """[{"name": "gpu1", "deviceName": "nvidia.com/TU104GL_Tesla_T4"}]""");

        Step(vm, Imported, Created);

        Assert.Equal("ErrorUnschedulable", Text(vm, "status", "printableStatus"));
        Assert.False(Flag(vm, "status", "ready"));
        var ready = Condition(vm["status"]!.AsObject(), "Ready");
        Assert.Equal("False", Text(ready, "status"));
        Assert.Equal("Unschedulable", Text(ready, "reason"));
        Assert.Contains("nvidia.com/TU104GL_Tesla_T4", Text(ready, "message"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_vm_asking_for_a_gpu_a_node_has_starts_when_it_tolerates_the_gpu_taint()
    {
        var vm = VirtualMachine(gpus: """[{"name": "gpu1", "deviceName": "nvidia.com/GA100_A100_PCIE_40GB"}]""", tolerations: GpuToleration);

        Step(vm, Imported, Created);

        Assert.Equal("Starting", Text(vm, "status", "printableStatus"));
    }

    [Fact]
    public void A_gpu_vm_without_the_toleration_is_unschedulable_on_the_tainted_gpu_node()
    {
        var vm = VirtualMachine(gpus: """[{"name": "gpu1", "deviceName": "nvidia.com/GA100_A100_PCIE_40GB"}]""");

        Step(vm, Imported, Created);

        Assert.Equal("ErrorUnschedulable", Text(vm, "status", "printableStatus"));
        var message = Text(Condition(vm["status"]!.AsObject(), "Ready"), "message");
        Assert.Equal("0/2 nodes are available: 1 Insufficient nvidia.com/GA100_A100_PCIE_40GB, 1 node(s) had taint {nvidia.com/gpu: }, that the pod didn't tolerate.", message);
    }

    [Fact]
    public void A_vm_starts_on_a_node_whose_labels_match_its_node_selector()
    {
        var vm = VirtualMachine(nodeSelector: """{"medops.io/pool": "workspaces"}""");

        Step(vm, Imported, Created);

        Assert.Equal("Starting", Text(vm, "status", "printableStatus"));
    }

    [Fact]
    public void A_vm_whose_node_selector_no_node_matches_is_unschedulable_with_the_schedulers_message()
    {
        var vm = VirtualMachine(nodeSelector: """{"medops.io/pool": "radiology"}""");

        Step(vm, Imported, Created);

        Assert.Equal("ErrorUnschedulable", Text(vm, "status", "printableStatus"));
        // The tainted GPU node fails the taint check first, as the scheduler's filters run in that order.
        Assert.Equal("0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had taint {nvidia.com/gpu: }, that the pod didn't tolerate.",
            Text(Condition(vm["status"]!.AsObject(), "Ready"), "message"));
    }

    [Theory]
    [InlineData("""[{"operator": "Exists"}]""")]
    [InlineData("""[{"key": "nvidia.com/gpu", "operator": "Exists"}]""")]
    [InlineData("""[{"key": "nvidia.com/gpu", "operator": "Equal", "value": "", "effect": "NoSchedule"}]""")]
    public void Tolerations_match_taints_as_the_scheduler_matches_them(string tolerations)
    {
        var vm = VirtualMachine(gpus: """[{"name": "gpu1", "deviceName": "nvidia.com/GA100_A100_PCIE_40GB"}]""", tolerations: tolerations);

        Step(vm, Imported, Created);

        Assert.Equal("Starting", Text(vm, "status", "printableStatus"));
    }

    [Fact]
    public void A_toleration_of_another_effect_does_not_tolerate_no_schedule()
    {
        var vm = VirtualMachine(gpus: """[{"name": "gpu1", "deviceName": "nvidia.com/GA100_A100_PCIE_40GB"}]""",
            tolerations: """[{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoExecute"}]""");

        Step(vm, Imported, Created);

        Assert.Equal("ErrorUnschedulable", Text(vm, "status", "printableStatus"));
    }

    [Fact]
    public void A_failed_data_volume_is_reported()
    {
        var vm = VirtualMachine();

        Step(vm, Volumes(DataVolume(phase: "Failed")), Created);

        Assert.Equal("DataVolumeError", Text(vm, "status", "printableStatus"));
    }

    [Fact]
    public void A_status_that_is_already_right_is_not_written()
    {
        var vm = VirtualMachine();
        Step(vm, Imported, Created);
        Step(vm, Imported, Created.AddSeconds(5));

        var decision = VirtualMachinePlanner.Plan(vm, Imported, NodeResources, Created.AddSeconds(60), Delay);

        Assert.Null(decision.Status);
        Assert.Null(decision.Summary);
    }

    [Fact]
    public void Other_status_fields_are_kept()
    {
        var vm = VirtualMachine();
        vm["status"] = JsonNode.Parse("""{"volumeSnapshotStatuses": [{"name": "rootdisk", "enabled": false}]}""");

        Step(vm, Imported, Created);

        Assert.NotNull(vm["status"]!["volumeSnapshotStatuses"]);
    }

    [Fact]
    public void A_vm_being_deleted_gets_no_new_data_volumes_and_no_status()
    {
        var vm = VirtualMachine();
        vm["metadata"]!["deletionTimestamp"] = "2025-01-01T12:05:00Z";

        var decision = VirtualMachinePlanner.Plan(vm, Volumes(), NodeResources, Created.AddMinutes(5), Delay);

        Assert.Empty(decision.DataVolumesToCreate);
        Assert.Null(decision.Status);
    }
}
