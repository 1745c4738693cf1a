namespace MedOps.Controllers.Workspaces.Validation;

/// <summary>The condition reasons of <see cref="WorkspaceValidator"/> and the reconciler's own refusals.</summary>
public static class WorkspaceValidationReasons
{
    /// <summary>The name cannot name the VM and be a label value (at most 63 characters, DNS-1123 label).</summary>
    public const string InvalidName = "InvalidName";

    /// <summary>Not exactly one of <c>image.containerDisk</c>, <c>image.http</c> and <c>image.pvc</c>.</summary>
    public const string InvalidImageSource = "InvalidImageSource";

    /// <summary><c>memory</c> or <c>disk.size</c> is not a positive quantity.</summary>
    public const string InvalidResources = "InvalidResources";

    /// <summary><c>disk.size</c> is smaller than the existing disk: disks only grow.</summary>
    public const string DiskShrinkRefused = "DiskShrinkRefused";
}
