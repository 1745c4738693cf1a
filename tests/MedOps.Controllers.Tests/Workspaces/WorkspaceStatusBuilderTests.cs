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

    /// <summary>The claim asked for 40Gi; the storage still reports 20Gi.</summary>
    private static readonly DiskGrowthPlan Growing = new(null, "40Gi", "20Gi");

    private static V1Alpha1WorkspaceStatus Build(
        bool running, KubeVirtVirtualMachine? vm, CdiDataVolume? disk = null, Problem? problem = null, bool hardwareChanged = false,
        IList<V1Condition>? previous = null, DiskGrowthPlan? growth = null, string? previousCapacity = null) =>
        WorkspaceStatusBuilder.Build(new WorkspaceObservation
        {
            Workspace = Workspace(running, previous, previousCapacity),
            VirtualMachine = vm,
            DataVolume = disk,
            Problem = problem,
            HardwareChangedWhileRunning = hardwareChanged,
            Disk = growth ?? DiskGrowthPlan.None,
            Now = Now,
        });

    private static V1Alpha1Workspace Workspace(bool running, IList<V1Condition>? previous = null, string? previousCapacity = null)
    {
        var ws = TestWorkspaces.DrSmith(s => s.Running = running);
        if (previous is not null || previousCapacity is not null)
        {
            ws.Status = new V1Alpha1WorkspaceStatus { Conditions = previous, DiskCapacity = previousCapacity };
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
    public void A_running_workspace_whose_disk_grows_is_reconciling_until_the_storage_catches_up()
    {
        var status = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, growth: Growing);

        Assert.Equal(WorkspacePhase.Running, status.Phase);
        var ready = Condition(status, ConditionTypes.Ready);
        Assert.Equal(("False", WorkspaceReasons.DiskResizing), (ready.Status, ready.Reason));
        var reconciling = Condition(status, ConditionTypes.Reconciling);
        Assert.Equal(("True", WorkspaceReasons.DiskResizing), (reconciling.Status, reconciling.Reason));
        Assert.Equal("growing the disk from 20Gi to 40Gi", reconciling.Message);
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
        Assert.Equal("20Gi", status.DiskCapacity);
    }

    [Fact]
    public void A_stopped_workspace_whose_disk_grows_stays_stopped_and_is_reconciling()
    {
        var status = Build(false, TestWorkspaces.Vm("Stopped"), Imported, growth: Growing);

        Assert.Equal(WorkspacePhase.Stopped, status.Phase);
        Assert.Equal("False", Condition(status, ConditionTypes.Ready).Status);
        Assert.Equal(WorkspaceReasons.DiskResizing, Condition(status, ConditionTypes.Reconciling).Reason);
    }

    [Fact]
    public void A_grown_disk_is_ready_with_its_new_capacity()
    {
        var status = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, growth: new DiskGrowthPlan(null, "40Gi", "40Gi"));

        Assert.Equal(("True", WorkspaceReasons.Running), (Condition(status, ConditionTypes.Ready).Status, Condition(status, ConditionTypes.Ready).Reason));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Reconciling));
        Assert.Equal("40Gi", status.DiskCapacity);
    }

    [Fact]
    public void The_resize_ends_once_the_storage_reports_the_new_capacity()
    {
        var growing = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, growth: Growing);

        var grown = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, previous: growing.Conditions, growth: new DiskGrowthPlan(null, "40Gi", "40Gi"));

        Assert.Equal("True", Condition(grown, ConditionTypes.Ready).Status);
        Assert.Null(Conditions.Find(grown.Conditions, ConditionTypes.Reconciling));
    }

    [Fact]
    public void A_vm_still_on_its_way_reports_its_own_progress_rather_than_the_resize()
    {
        var status = Build(true, TestWorkspaces.Vm("Running", ready: false, created: true), Imported, growth: Growing);

        Assert.Equal(WorkspacePhase.Starting, status.Phase);
        Assert.Equal(WorkspaceReasons.Starting, Condition(status, ConditionTypes.Reconciling).Reason);
        Assert.Equal("20Gi", status.DiskCapacity);
    }

    [Fact]
    public void A_failed_vm_stays_stalled_while_its_disk_grows()
    {
        var status = Build(true, TestWorkspaces.Vm("ErrorUnschedulable"), Imported, growth: Growing);

        Assert.Equal(WorkspacePhase.Failed, status.Phase);
        Assert.Equal("ErrorUnschedulable", Condition(status, ConditionTypes.Stalled).Reason);
    }

    [Fact]
    public void An_expansion_still_to_ask_for_is_not_resizing()
    {
        var status = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, growth: new DiskGrowthPlan("40Gi", "20Gi", "20Gi"));

        Assert.Equal("True", Condition(status, ConditionTypes.Ready).Status);
        Assert.Equal("20Gi", status.DiskCapacity);
    }

    [Fact]
    public void Without_a_claim_there_is_no_disk_capacity()
    {
        Assert.Null(Build(true, TestWorkspaces.Vm("Running", true, true), Imported).DiskCapacity);
    }

    [Fact]
    public void A_capacity_the_claim_no_longer_reports_keeps_the_one_seen_before()
    {
        // A claim that is not Bound (for a moment) reports no capacity.
        var status = Build(true, TestWorkspaces.Vm("Running", true, true), Imported, growth: new DiskGrowthPlan(null, "40Gi", null), previousCapacity: "20Gi");

        Assert.Equal("20Gi", status.DiskCapacity);
        Assert.Equal("True", Condition(status, ConditionTypes.Ready).Status);
    }

    [Fact]
    public void A_problem_still_reports_the_disk_capacity()
    {
        var status = Build(true, TestWorkspaces.Vm("Running", true, true), Imported,
            problem: new Problem(WorkspaceReasons.DiskExpansionNotAllowed, "cannot grow"), growth: new DiskGrowthPlan(null, "20Gi", "20Gi"));

        Assert.Equal(WorkspaceReasons.DiskExpansionNotAllowed, Condition(status, ConditionTypes.Stalled).Reason);
        Assert.Equal("20Gi", status.DiskCapacity);
        Assert.Equal(WorkspacePhase.Running, status.Phase);
    }

    // Lifecycle: the session and the scheduled stop

    private static V1Alpha1WorkspaceStatus BuildAfter(V1Alpha1WorkspaceStatus previous, bool running, KubeVirtVirtualMachine vm, Problem? problem = null)
    {
        var workspace = TestWorkspaces.DrSmith(s => s.Running = running);
        workspace.Status = previous;
        return WorkspaceStatusBuilder.Build(new WorkspaceObservation { Workspace = workspace, VirtualMachine = vm, DataVolume = Imported, Problem = problem, Now = Now });
    }

    private static WorkspaceScheduledStop ScheduledStop(string reason, DateTime time, bool done = true) => new() { Reason = reason, Time = time, Done = done };

    [Fact]
    public void A_workspace_that_is_running_and_ready_starts_its_session_now()
    {
        Assert.Equal(Now, Build(true, TestWorkspaces.Vm("Running", true, true), Imported).SessionStartTime);
    }

    [Fact]
    public void The_session_keeps_its_start_while_the_vm_runs()
    {
        var started = Now.AddHours(-3);

        var status = BuildAfter(new V1Alpha1WorkspaceStatus { SessionStartTime = started }, true, TestWorkspaces.Vm("Running", true, true));

        Assert.Equal(started, status.SessionStartTime);
    }

    [Fact]
    public void A_vm_on_its_way_up_has_no_session_yet()
    {
        Assert.Null(Build(true, TestWorkspaces.Vm("Starting", created: true), Imported).SessionStartTime);
        Assert.Null(Build(true, TestWorkspaces.Vm("Running", ready: false, created: true), Imported).SessionStartTime);
        Assert.Null(Build(true, null).SessionStartTime);
    }

    [Fact]
    public void A_session_is_kept_while_the_vm_is_not_ready_for_a_moment()
    {
        var started = Now.AddHours(-3);

        var status = BuildAfter(new V1Alpha1WorkspaceStatus { SessionStartTime = started }, true, TestWorkspaces.Vm("Running", ready: false, created: true));

        Assert.Equal(WorkspacePhase.Starting, status.Phase);
        Assert.Equal(started, status.SessionStartTime);
    }

    [Theory]
    [InlineData("Stopping", false)]
    [InlineData("Stopped", false)]
    [InlineData("Running", false)]
    [InlineData("ErrorUnschedulable", true)]
    public void A_vm_that_stops_or_fails_ends_the_session(string printable, bool running)
    {
        var status = BuildAfter(new V1Alpha1WorkspaceStatus { SessionStartTime = Now.AddHours(-3) }, running, TestWorkspaces.Vm(printable, ready: printable == "Running", created: printable == "Running"));

        Assert.Null(status.SessionStartTime);
    }

    [Fact]
    public void A_new_session_after_a_stop_starts_at_the_new_start()
    {
        var stopped = BuildAfter(new V1Alpha1WorkspaceStatus { SessionStartTime = Now.AddHours(-9) }, false, TestWorkspaces.Vm("Stopped"));

        var restarted = BuildAfter(stopped, true, TestWorkspaces.Vm("Running", true, true));

        Assert.Equal(Now, restarted.SessionStartTime);
    }

    [Fact]
    public void A_problem_with_a_running_vm_keeps_the_session_start()
    {
        // The VM still runs while, say, a disk shrink is refused: the session (and its limit) goes on.
        var started = Now.AddHours(-3);

        var status = BuildAfter(new V1Alpha1WorkspaceStatus { SessionStartTime = started }, true, TestWorkspaces.Vm("Running", true, true),
            problem: new Problem(WorkspaceReasons.DiskShrinkRefused, "no"));

        Assert.Equal(WorkspacePhase.Running, status.Phase);
        Assert.Equal(started, status.SessionStartTime);
    }

    [Theory]
    [InlineData(WorkspaceReasons.MaxSessionReached)]
    [InlineData(WorkspaceReasons.OutsideActiveHours)]
    public void A_workspace_stopped_by_its_lifecycle_is_ready_saying_why_and_since_when(string reason)
    {
        var stop = ScheduledStop(reason, Now.AddHours(-1));

        var status = BuildAfter(new V1Alpha1WorkspaceStatus { ScheduledStop = stop }, false, TestWorkspaces.Vm("Stopped"));

        Assert.Equal(WorkspacePhase.Stopped, status.Phase);
        var ready = Condition(status, ConditionTypes.Ready);
        Assert.Equal(("True", reason), (ready.Status, ready.Reason));
        Assert.Equal($"stopped by spec.lifecycle since 2024-05-01T11:00:00Z ({reason}); set running: true to start it again", ready.Message);
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Reconciling));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
        Assert.Same(stop, status.ScheduledStop);
        Assert.Null(status.SessionStartTime);
    }

    [Fact]
    public void A_stop_made_this_very_moment_already_counts()
    {
        var status = BuildAfter(new V1Alpha1WorkspaceStatus { ScheduledStop = ScheduledStop(WorkspaceReasons.MaxSessionReached, Now) }, false, TestWorkspaces.Vm("Stopped"));

        Assert.Equal(WorkspaceReasons.MaxSessionReached, Condition(status, ConditionTypes.Ready).Reason);
    }

    [Fact]
    public void A_workspace_stopped_before_an_announced_stop_is_just_stopped()
    {
        var status = BuildAfter(new V1Alpha1WorkspaceStatus { ScheduledStop = ScheduledStop(WorkspaceReasons.MaxSessionReached, Now.AddMinutes(5)) }, false, TestWorkspaces.Vm("Stopped"));

        Assert.Equal(("True", WorkspaceReasons.Stopped), (Condition(status, ConditionTypes.Ready).Status, Condition(status, ConditionTypes.Ready).Reason));
    }

    [Fact]
    public void A_vm_still_stopping_after_the_lifecycle_stop_is_reconciling()
    {
        var status = BuildAfter(new V1Alpha1WorkspaceStatus { ScheduledStop = ScheduledStop(WorkspaceReasons.MaxSessionReached, Now.AddMinutes(-1)) }, false, TestWorkspaces.Vm("Stopping"));

        Assert.Equal(WorkspacePhase.Stopping, status.Phase);
        Assert.Equal(("False", WorkspaceReasons.Stopping), (Condition(status, ConditionTypes.Ready).Status, Condition(status, ConditionTypes.Ready).Reason));
    }

    [Fact]
    public void A_user_restart_after_a_lifecycle_stop_is_starting_not_stopped_by_the_lifecycle()
    {
        var status = BuildAfter(new V1Alpha1WorkspaceStatus { ScheduledStop = ScheduledStop(WorkspaceReasons.MaxSessionReached, Now.AddHours(-1)) }, true, TestWorkspaces.Vm("Stopped"));

        Assert.Equal(WorkspacePhase.Starting, status.Phase);
        Assert.Equal(WorkspaceReasons.Starting, Condition(status, ConditionTypes.Ready).Reason);
    }

    [Fact]
    public void An_announced_stop_is_carried_into_the_new_status()
    {
        var stop = ScheduledStop(WorkspaceReasons.OutsideActiveHours, Now.AddMinutes(5));

        var status = BuildAfter(new V1Alpha1WorkspaceStatus { ScheduledStop = stop, SessionStartTime = Now.AddHours(-2) }, true, TestWorkspaces.Vm("Running", true, true));

        Assert.Same(stop, status.ScheduledStop);
        Assert.Equal(WorkspaceReasons.Running, Condition(status, ConditionTypes.Ready).Reason);
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
