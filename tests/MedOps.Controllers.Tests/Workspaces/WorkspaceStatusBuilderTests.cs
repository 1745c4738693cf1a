using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Controllers.Workspaces;
using MedOps.Controllers.Workspaces.KubeVirt;
using MedOps.Runtime.Status;

namespace MedOps.Controllers.Tests.Workspaces;

public class WorkspaceStatusBuilderTests
{
    private static readonly DateTime Now = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static V1Alpha1WorkspaceStatus Build(
        bool running, KubeVirtVirtualMachine? vm, CdiDataVolume? disk = null, Problem? problem = null, bool hardwareChanged = false,
        IList<V1Condition>? previous = null) =>
        WorkspaceStatusBuilder.Build(new WorkspaceObservation
        {
            Workspace = Workspace(running, previous),
            VirtualMachine = vm,
            DataVolume = disk,
            Problem = problem,
            HardwareChangedWhileRunning = hardwareChanged,
            Now = Now,
        });

    private static V1Alpha1Workspace Workspace(bool running, IList<V1Condition>? previous = null)
    {
        var ws = TestWorkspaces.DrSmith(s => s.Running = running);
        if (previous is not null)
        {
            ws.Status = new V1Alpha1WorkspaceStatus { Conditions = previous };
        }
        return ws;
    }

    private static V1Condition Condition(V1Alpha1WorkspaceStatus status, string type) =>
        Conditions.Find(status.Conditions, type) ?? throw new InvalidOperationException($"no {type} condition");

    private static CdiDataVolume Imported => TestWorkspaces.Disk("Succeeded");

    [Theory]
    // printableStatus, ready, running wanted, disk phase → phase, Ready, Reconciling, Stalled, reason
    [InlineData("Provisioning", false, true, "ImportInProgress", WorkspacePhase.Provisioning, false, true, false, "Provisioning")]
    [InlineData("WaitingForVolumeBinding", false, true, "Succeeded", WorkspacePhase.Provisioning, false, true, false, "Provisioning")]
    [InlineData("Starting", false, true, "Succeeded", WorkspacePhase.Starting, false, true, false, "Starting")]
    [InlineData("Running", true, true, "Succeeded", WorkspacePhase.Running, true, false, false, "Running")]
    [InlineData("Running", false, true, "Succeeded", WorkspacePhase.Starting, false, true, false, "Starting")]
    [InlineData("Migrating", true, true, "Succeeded", WorkspacePhase.Running, true, false, false, "Running")]
    [InlineData("Stopping", false, true, "Succeeded", WorkspacePhase.Stopping, false, true, false, "Stopping")]
    [InlineData("Stopped", false, true, "Succeeded", WorkspacePhase.Starting, false, true, false, "Starting")]
    [InlineData("Stopping", false, false, "Succeeded", WorkspacePhase.Stopping, false, true, false, "Stopping")]
    [InlineData("Running", true, false, "Succeeded", WorkspacePhase.Stopping, false, true, false, "Stopping")]
    [InlineData("Stopped", false, false, "Succeeded", WorkspacePhase.Stopped, true, false, false, "Stopped")]
    [InlineData("Stopped", false, false, "ImportInProgress", WorkspacePhase.Provisioning, false, true, false, "Provisioning")]
    [InlineData("Stopped", false, false, "WaitForFirstConsumer", WorkspacePhase.Stopped, true, false, false, "Stopped")]
    [InlineData("ErrorUnschedulable", false, true, "Succeeded", WorkspacePhase.Failed, false, false, true, "ErrorUnschedulable")]
    [InlineData("ErrorPvcNotFound", false, true, "Succeeded", WorkspacePhase.Failed, false, false, true, "ErrorPvcNotFound")]
    [InlineData("DataVolumeError", false, true, "Succeeded", WorkspacePhase.Failed, false, false, true, "DataVolumeError")]
    [InlineData("CrashLoopBackOff", false, true, "Succeeded", WorkspacePhase.Failed, false, false, true, "CrashLoopBackOff")]
    [InlineData("Running", true, true, "Failed", WorkspacePhase.Failed, false, false, true, "DataVolumeError")]
    [InlineData("Paused", true, true, "Succeeded", WorkspacePhase.Running, false, true, false, "Paused")]
    public void Each_printable_status_maps_to_a_phase_and_conditions(
        string printable, bool ready, bool running, string diskPhase,
        WorkspacePhase phase, bool readyCondition, bool reconciling, bool stalled, string reason)
    {
        var status = Build(running, TestWorkspaces.Vm(printable, ready, created: printable is "Running" or "Starting"), TestWorkspaces.Disk(diskPhase));

        Assert.Equal(phase, status.Phase);
        var readyC = Condition(status, ConditionTypes.Ready);
        Assert.Equal(readyCondition ? "True" : "False", readyC.Status);
        Assert.Equal(reason, readyC.Reason);
        Assert.Equal(2, readyC.ObservedGeneration);
        Assert.Equal(reconciling, Conditions.IsTrue(status.Conditions, ConditionTypes.Reconciling));
        Assert.Equal(stalled, Conditions.IsTrue(status.Conditions, ConditionTypes.Stalled));
        if (stalled)
        {
            Assert.Equal(reason, Condition(status, ConditionTypes.Stalled).Reason);
        }
        Assert.Equal(2, status.ObservedGeneration);
        Assert.Equal(TestWorkspaces.Name, status.VmName);
    }

    [Fact]
    public void The_unschedulable_message_carries_the_vm_ready_condition_message()
    {
        var vm = TestWorkspaces.Vm("ErrorUnschedulable");
        vm.Status!.Conditions = [new KubeVirtCondition { Type = "Ready", Status = "False", Reason = "Unschedulable", Message = "0/5 nodes have nvidia.com/X" }];

        var status = Build(true, vm, Imported);

        Assert.Contains("0/5 nodes have nvidia.com/X", Condition(status, ConditionTypes.Ready).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_vm_status_the_workspace_is_provisioning()
    {
        var status = Build(true, TestWorkspaces.Vm(null), null);

        Assert.Equal(WorkspacePhase.Provisioning, status.Phase);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Reconciling));
    }

    [Fact]
    public void Before_the_vm_exists_the_workspace_is_provisioning_and_has_no_vm_name()
    {
        var status = Build(true, null);

        Assert.Equal(WorkspacePhase.Provisioning, status.Phase);
        Assert.Equal("False", Condition(status, ConditionTypes.Ready).Status);
        Assert.Null(status.VmName);
    }

    [Fact]
    public void A_stale_running_status_is_not_ready_for_a_new_generation()
    {
        var status = Build(true, TestWorkspaces.Vm("Running", ready: true, created: true, generation: 3, observed: 2), Imported);

        Assert.Equal(WorkspacePhase.Starting, status.Phase);
        Assert.Equal("False", Condition(status, ConditionTypes.Ready).Status);
    }

    [Fact]
    public void A_stale_stopped_status_is_not_ready_after_a_stop_request()
    {
        var status = Build(false, TestWorkspaces.Vm("Stopped", generation: 3, observed: 2), Imported);

        Assert.Equal("False", Condition(status, ConditionTypes.Ready).Status);
    }

    [Fact]
    public void A_problem_is_stalled_with_its_reason_and_failed_without_a_vm()
    {
        var status = Build(true, null, problem: new Problem(ConditionReasons.KubeVirtNotInstalled, "install KubeVirt"));

        Assert.Equal(WorkspacePhase.Failed, status.Phase);
        Assert.Equal(("False", "KubeVirtNotInstalled"), (Condition(status, ConditionTypes.Ready).Status, Condition(status, ConditionTypes.Ready).Reason));
        Assert.Equal(("True", "KubeVirtNotInstalled"), (Condition(status, ConditionTypes.Stalled).Status, Condition(status, ConditionTypes.Stalled).Reason));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Reconciling));
    }

    [Fact]
    public void A_problem_with_a_running_vm_keeps_the_vm_phase()
    {
        var status = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, problem: new Problem("DiskShrinkRefused", "no"));

        Assert.Equal(WorkspacePhase.Running, status.Phase);
        Assert.Equal("DiskShrinkRefused", Condition(status, ConditionTypes.Stalled).Reason);
        Assert.Equal("False", Condition(status, ConditionTypes.Ready).Status);
    }

    [Fact]
    public void Stalled_is_removed_once_the_problem_is_gone()
    {
        var stalled = Build(true, null, problem: new Problem("InvalidImageSource", "x")).Conditions;

        var status = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, previous: stalled);

        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
        Assert.Equal("True", Condition(status, ConditionTypes.Ready).Status);
        Assert.Equal(Now, Condition(status, ConditionTypes.Ready).LastTransitionTime);
    }

    [Fact]
    public void A_hardware_change_while_running_requires_a_restart_and_stays_ready()
    {
        var status = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, hardwareChanged: true);

        Assert.Equal("True", Condition(status, WorkspaceStatusBuilder.RestartRequired).Status);
        Assert.Equal("True", Condition(status, ConditionTypes.Ready).Status);
    }

    [Fact]
    public void Restart_required_is_kept_while_the_instance_runs_and_dropped_once_it_stopped()
    {
        var first = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, hardwareChanged: true).Conditions;

        var still = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, previous: first);
        Assert.True(Conditions.IsTrue(still.Conditions, WorkspaceStatusBuilder.RestartRequired));

        var stopped = Build(false, TestWorkspaces.Vm("Stopped"), Imported, previous: still.Conditions);
        Assert.Null(Conditions.Find(stopped.Conditions, WorkspaceStatusBuilder.RestartRequired));
    }

    [Fact]
    public void Kubevirt_s_own_restart_required_condition_is_reported()
    {
        var vm = TestWorkspaces.Vm("Running", true, true);
        vm.Status!.Conditions = [new KubeVirtCondition { Type = "RestartRequired", Status = "True" }];

        Assert.True(Conditions.IsTrue(Build(true, vm, Imported).Conditions, WorkspaceStatusBuilder.RestartRequired));
    }

    [Fact]
    public void Last_transition_time_moves_only_when_the_status_changes()
    {
        var earlier = Now.AddMinutes(-5);
        var previous = new List<V1Condition>
        {
            new() { Type = "Ready", Status = "False", Reason = "Starting", Message = "x", LastTransitionTime = earlier },
        };

        var status = Build(true, TestWorkspaces.Vm("Provisioning"), TestWorkspaces.Disk("ImportScheduled"), previous: previous);

        Assert.Equal(earlier, Condition(status, ConditionTypes.Ready).LastTransitionTime);
    }
}
