using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Workspaces;

/// <summary>
/// Every condition and event reason a Workspace is reported with, in one place: nothing in the
/// controller writes a reason as a literal. Where the reason is the VirtualMachine's own
/// <c>printableStatus</c> (<c>ErrorUnschedulable</c>, <c>CrashLoopBackOff</c>, …), it is passed
/// through as KubeVirt wrote it. docs/api.md explains each one.
/// </summary>
public static class WorkspaceReasons
{
    // Stalled: a person must act.

    /// <summary>The name cannot name the VM and be a label value (at most 63 characters, DNS-1123 label).</summary>
    public const string InvalidName = "InvalidName";

    /// <summary>Not exactly one of <c>image.containerDisk</c>, <c>image.http</c> and <c>image.pvc</c>.</summary>
    public const string InvalidImageSource = "InvalidImageSource";

    /// <summary><c>memory</c> or <c>disk.size</c> is not a positive quantity.</summary>
    public const string InvalidResources = "InvalidResources";

    /// <summary>spec.nodeSelector or spec.tolerations would be refused by the API server in the pod.</summary>
    public const string InvalidScheduling = Shared.PodSchedulingValidation.InvalidScheduling;

    /// <summary><c>spec.lifecycle</c> has a duration or time zone that cannot be used.</summary>
    public const string InvalidLifecycle = "InvalidLifecycle";

    /// <summary><c>disk.size</c> is smaller than the existing disk: disks only grow.</summary>
    public const string DiskShrinkRefused = "DiskShrinkRefused";

    /// <summary>The API server refused to grow the disk's claim (its StorageClass does not allow volume expansion).</summary>
    public const string DiskExpansionNotAllowed = "DiskExpansionNotAllowed";

    /// <summary>Reconciling reason and event: the disk's claim grows to a larger <c>disk.size</c>.</summary>
    public const string DiskResizing = "DiskResizing";

    /// <summary>Stalled reason and Warning event: a deleted workspace is kept by its <c>spec.legalHold</c>.</summary>
    public const string LegalHold = "LegalHold";

    /// <summary>Warning event: <c>spec.lifecycle</c> stops the workspace soon (it names when and why).</summary>
    public const string ShutdownScheduled = "ShutdownScheduled";

    /// <summary>Event: the active hours began and the schedule started a workspace it had stopped.</summary>
    public const string StartedBySchedule = "StartedBySchedule";

    /// <summary>Ready reason and event: stopped by <c>spec.lifecycle.maxSessionDuration</c>.</summary>
    public const string MaxSessionReached = Lifecycle.WorkspaceSchedule.MaxSessionReached;

    /// <summary>Ready reason and event: stopped by <c>spec.lifecycle.idleTimeout</c>.</summary>
    public const string Idle = Lifecycle.WorkspaceSchedule.Idle;

    /// <summary>Ready reason and event: stopped by <c>spec.lifecycle.activeHours</c>.</summary>
    public const string OutsideActiveHours = Lifecycle.WorkspaceSchedule.OutsideActiveHours;

    /// <summary>Event: the workspace was deleted and its disk's claim kept (<c>disk.reclaimPolicy: Retain</c>).</summary>
    public const string DiskRetained = "DiskRetained";

    /// <summary>The cluster does not serve KubeVirt's VirtualMachines or CDI's DataVolumes.</summary>
    public const string KubeVirtNotInstalled = ConditionReasons.KubeVirtNotInstalled;

    /// <summary>The root disk failed to import.</summary>
    public const string DataVolumeError = "DataVolumeError";

    // Where the VM stands (also the phases' names).

    /// <summary>The VM or its root disk is being set up.</summary>
    public const string Provisioning = "Provisioning";

    /// <summary>The VM is booting.</summary>
    public const string Starting = "Starting";

    /// <summary>The VM runs and is ready.</summary>
    public const string Running = "Running";

    /// <summary>The VM is paused (virtctl pause).</summary>
    public const string Paused = "Paused";

    /// <summary>The VM is shutting down.</summary>
    public const string Stopping = "Stopping";

    /// <summary>The VM is stopped, as asked.</summary>
    public const string Stopped = "Stopped";

    // The RestartRequired condition, and events.

    /// <summary>A cores or memory change waits for the next start (also the condition type).</summary>
    public const string RestartRequired = "RestartRequired";

    /// <summary>Event: the VM reached Running.</summary>
    public const string Started = "Started";
}
