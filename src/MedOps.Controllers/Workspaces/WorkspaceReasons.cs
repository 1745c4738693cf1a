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

    /// <summary><c>disk.size</c> is smaller than the existing disk: disks only grow.</summary>
    public const string DiskShrinkRefused = "DiskShrinkRefused";

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
