using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Controllers.Workspaces.KubeVirt;
using MedOps.Runtime.Status;

namespace MedOps.Controllers.Workspaces;

/// <summary>What a reconcile found, from which a Workspace's status follows.</summary>
public sealed record WorkspaceObservation
{
    /// <summary>The workspace as read from the cache.</summary>
    public required V1Alpha1Workspace Workspace { get; init; }

    /// <summary>A problem a person must fix (invalid spec, KubeVirt missing, disk shrink): Stalled.</summary>
    public Problem? Problem { get; init; }

    /// <summary>The VirtualMachine as it is now (after the apply), when there is one.</summary>
    public KubeVirtVirtualMachine? VirtualMachine { get; init; }

    /// <summary>The root disk's DataVolume, when KubeVirt has created it.</summary>
    public CdiDataVolume? DataVolume { get; init; }

    /// <summary>This reconcile changed the cores or memory of a VM whose instance is up.</summary>
    public bool HardwareChangedWhileRunning { get; init; }

    /// <summary>The root disk's claim against <c>disk.size</c>.</summary>
    public DiskGrowthPlan Disk { get; init; } = DiskGrowthPlan.None;

    /// <summary>The time to stamp on changed conditions.</summary>
    public DateTime Now { get; init; }
}

/// <summary>
/// Computes a Workspace's status from an observation: the phase from the VM's
/// <c>printableStatus</c> and <c>ready</c> (and the disk's import), <c>vmName</c>, and the
/// <c>Ready</c> / <c>Reconciling</c> / <c>Stalled</c> / <c>RestartRequired</c> conditions. Pure, so
/// every rule is unit-tested.
/// </summary>
public static class WorkspaceStatusBuilder
{
    /// <summary>
    /// Condition type: a cores or memory change reached the VM spec while the VM runs; KubeVirt
    /// applies it at the next start (the same type KubeVirt sets on the VM). Informational: Ready
    /// stays as it is.
    /// </summary>
    public const string RestartRequired = WorkspaceReasons.RestartRequired;

    private static readonly HashSet<string> ImportDone = new(StringComparer.Ordinal) { "Succeeded", "WaitForFirstConsumer", "PendingPopulation", "Failed" };

    private static readonly HashSet<string> ErrorStatuses = new(StringComparer.Ordinal)
    {
        "DataVolumeError", "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "Unknown",
    };

    private static readonly HashSet<string> InstanceUp = new(StringComparer.Ordinal) { "Running", "Starting", "Paused", "Migrating" };

    /// <summary>Builds the status for the observation.</summary>
    public static V1Alpha1WorkspaceStatus Build(WorkspaceObservation o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var workspace = o.Workspace;
        var generation = workspace.Metadata.Generation;
        var previous = workspace.Status;
        var vm = o.VirtualMachine;
        var status = new V1Alpha1WorkspaceStatus
        {
            ObservedGeneration = generation,
            VmName = vm?.Metadata.Name ?? previous?.VmName,
            DiskCapacity = o.Disk.Capacity ?? previous?.DiskCapacity,
            ScheduledStop = previous?.ScheduledStop,
            LastActivityTime = previous?.LastActivityTime,
        };
        var conditions = previous?.Conditions;
        conditions = Restart(conditions, o, generation);

        if (o.Problem is { } problem)
        {
            // A problem does not end a session: the VM may well keep running.
            status.SessionStartTime = HasInstance(vm) ? previous?.SessionStartTime : null;
            status.Phase = vm is null ? WorkspacePhase.Failed : State(workspace, vm, o.DataVolume).Phase;
            status.Conditions = Kstatus.Apply(conditions, Outcome.Stalled(problem.Reason, problem.Message), generation, o.Now);
            return status;
        }

        var state = vm is null
            ? new VmState(WorkspacePhase.Provisioning, false, false, WorkspaceReasons.Provisioning, "creating the VirtualMachine")
            : State(workspace, vm, o.DataVolume);
        if (state.Done && o.Disk.Resizing)
        {
            // The VM is where it should be, but its disk is still growing: Reconciling until the
            // storage reports the new capacity.
            state = state with
            {
                Done = false,
                Reason = WorkspaceReasons.DiskResizing,
                Message = $"growing the disk from {o.Disk.Capacity} to {o.Disk.Requested}",
            };
        }
        if (state.Phase == WorkspacePhase.Stopped && !workspace.Spec.Running && previous?.ScheduledStop is { Done: true } stop && stop.Time <= o.Now)
        {
            // Stopped by its lifecycle: Ready (the stop is the desired state now), saying why and since when.
            state = state with
            {
                Reason = stop.Reason,
                Message = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"stopped by spec.lifecycle since {stop.Time:yyyy-MM-ddTHH:mm:ssZ} ({stop.Reason}); set running: true to start it again"),
            };
        }
        status.SessionStartTime = state.Phase switch
        {
            WorkspacePhase.Running when state.Done => previous?.SessionStartTime ?? o.Now,
            WorkspacePhase.Running or WorkspacePhase.Starting => previous?.SessionStartTime,
            _ => null,
        };
        status.Phase = state.Phase;
        var progress = state.Failed ? Progress.Stalled : state.Done ? Progress.Done : Progress.InProgress;
        status.Conditions = Kstatus.Apply(conditions, new Outcome(progress, state.Reason, state.Message), generation, o.Now);
        return status;
    }

    /// <summary>Whether the VM has a running instance (so a cores or memory change waits for a restart).</summary>
    public static bool HasInstance(KubeVirtVirtualMachine? vm) =>
        vm?.Status is { } s && (s.Created == true || (s.PrintableStatus is { } p && InstanceUp.Contains(p)));

    /// <summary>The workspace's phase, whether the desired state is reached, and why, from the VM and its disk.</summary>
    public static VmState State(V1Alpha1Workspace workspace, KubeVirtVirtualMachine vm, CdiDataVolume? dataVolume)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(vm);
        var vs = vm.Status;
        var printable = vs?.PrintableStatus;
        var observed = vs?.ObservedGeneration is not { } seen || vm.Metadata.Generation is not { } gen || seen >= gen;
        var diskPhase = dataVolume?.Status?.Phase;
        var importing = dataVolume is null || diskPhase is null || !ImportDone.Contains(diskPhase);
        var vmReady = Find(vs, "Ready");

        if (diskPhase == "Failed")
        {
            var failure = dataVolume!.Status?.Conditions?.FirstOrDefault(c => c.Type == "Running" && !string.IsNullOrEmpty(c.Message))?.Message;
            return new VmState(WorkspacePhase.Failed, false, true, WorkspaceReasons.DataVolumeError,
                failure is not null ? $"the root disk {dataVolume.Metadata.Name} failed to import: {failure}" : $"the root disk {dataVolume.Metadata.Name} failed to import: see kubectl describe datavolume {dataVolume.Metadata.Name}");
        }
        if (printable is not null && (printable.StartsWith("Error", StringComparison.Ordinal) || ErrorStatuses.Contains(printable)))
        {
            var detail = string.IsNullOrEmpty(vmReady?.Message) ? "" : $": {vmReady.Message}";
            return new VmState(WorkspacePhase.Failed, false, true, printable, $"the VirtualMachine reports {printable}{detail}");
        }
        if (string.IsNullOrEmpty(printable) || printable is "Provisioning" or "WaitingForVolumeBinding")
        {
            var progress = dataVolume?.Status?.Progress is { Length: > 0 } p && p != "N/A" ? $" ({p})" : "";
            return new VmState(WorkspacePhase.Provisioning, false, false, WorkspaceReasons.Provisioning,
                importing ? $"importing the root disk{progress}" : "waiting for KubeVirt to set up the VirtualMachine");
        }

        if (workspace.Spec.Running)
        {
            return printable switch
            {
                "Running" or "Migrating" when vs?.Ready == true && observed =>
                    new VmState(WorkspacePhase.Running, true, false, WorkspaceReasons.Running, "the virtual machine is running"),
                "Running" or "Migrating" => new VmState(WorkspacePhase.Starting, false, false, WorkspaceReasons.Starting, "the virtual machine is booting"),
                "Paused" => new VmState(WorkspacePhase.Running, false, false, WorkspaceReasons.Paused, "the virtual machine is paused: unpause it with virtctl unpause vm"),
                "Stopping" or "Terminating" => new VmState(WorkspacePhase.Stopping, false, false, WorkspaceReasons.Stopping, "the virtual machine is shutting down before it starts again"),
                _ when importing => new VmState(WorkspacePhase.Provisioning, false, false, WorkspaceReasons.Provisioning, "importing the root disk"),
                _ => new VmState(WorkspacePhase.Starting, false, false, WorkspaceReasons.Starting, $"starting the virtual machine (now {printable})"),
            };
        }
        return printable switch
        {
            "Stopped" when observed && !importing => new VmState(WorkspacePhase.Stopped, true, false, WorkspaceReasons.Stopped, "the virtual machine is stopped; the disk is kept"),
            "Stopped" when importing => new VmState(WorkspacePhase.Provisioning, false, false, WorkspaceReasons.Provisioning, "importing the root disk"),
            _ => new VmState(WorkspacePhase.Stopping, false, false, WorkspaceReasons.Stopping, $"stopping the virtual machine (now {printable})"),
        };
    }

    // RestartRequired: set when this reconcile changed the hardware of a running VM, or KubeVirt
    // says so; kept while the same instance runs; gone once the VM stopped (the next start uses
    // the new spec).
    private static List<V1Condition> Restart(IList<V1Condition>? conditions, WorkspaceObservation o, long? generation)
    {
        var vm = o.VirtualMachine;
        var kubeVirtSays = Find(vm?.Status, RestartRequired)?.Status == "True";
        var wasRequired = Conditions.IsTrue(conditions, RestartRequired);
        var up = HasInstance(vm);
        if ((o.HardwareChangedWhileRunning || kubeVirtSays || wasRequired) && up)
        {
            var existing = Conditions.Find(conditions, RestartRequired);
            var message = o.HardwareChangedWhileRunning || existing is null
                ? "cpu or memory changed while the virtual machine runs: KubeVirt applies it at the next start; set running: false, then true, to restart now"
                : existing.Message;
            return Conditions.Set(conditions, RestartRequired, true, RestartRequired, message, generation, o.Now);
        }
        return Conditions.Remove(conditions, RestartRequired);
    }

    private static KubeVirtCondition? Find(VirtualMachineStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type);
}

/// <summary>Where a workspace's VM stands.</summary>
/// <param name="Phase">The one-word phase.</param>
/// <param name="Done">The desired state is reached (Ready=True).</param>
/// <param name="Failed">KubeVirt or CDI reports an error a person must look at (Stalled=True).</param>
/// <param name="Reason">The condition reason.</param>
/// <param name="Message">The condition message.</param>
public sealed record VmState(WorkspacePhase Phase, bool Done, bool Failed, string Reason, string Message);
