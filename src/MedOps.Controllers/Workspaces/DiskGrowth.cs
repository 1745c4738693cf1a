using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Controllers.Workspaces.Builders;

namespace MedOps.Controllers.Workspaces;

/// <summary>Where a workspace's disk stands against a larger <c>disk.size</c>.</summary>
/// <param name="ExpandTo">The claim must be asked for this size (the spec grew past its request).</param>
/// <param name="Requested">What the claim asks for now.</param>
/// <param name="Capacity">What the storage reports the claim has (null before it is bound).</param>
public sealed record DiskGrowthPlan(string? ExpandTo, string? Requested, string? Capacity)
{
    /// <summary>Nothing known: no claim yet.</summary>
    public static DiskGrowthPlan None { get; } = new(null, null, null);

    /// <summary>True while the storage has not caught up with the claim's request.</summary>
    public bool Resizing => ExpandTo is null && Requested is not null && Capacity is not null
        && KubernetesQuantity.TryParse(Requested, out _, out var requested) && KubernetesQuantity.TryParse(Capacity, out _, out var capacity)
        && capacity < requested;
}

/// <summary>
/// Disk growth, decided from the workspace and the root disk's claim (<c>&lt;name&gt;-rootdisk</c>, made
/// by CDI for the DataVolume). KubeVirt and CDI never grow an existing disk when the VM's
/// dataVolumeTemplate grows: the claim itself is expanded, and the storage catches up. Pure.
/// </summary>
public static class DiskGrowth
{
    /// <summary>The claim of a workspace's root disk: CDI names it after the DataVolume.</summary>
    public static string ClaimName(string workspace) => WorkspaceVirtualMachineBuilder.DataVolumeName(workspace);

    /// <summary>
    /// True for the live root disk's claim: owned by its DataVolume, as CDI makes it. A claim kept
    /// from a deleted workspace of the same name (no owners, label
    /// <see cref="WorkspaceRetention.RetainedFromLabel"/>) is someone's preserved data, never grown or measured.
    /// </summary>
    public static bool IsLiveRootDisk(V1PersistentVolumeClaim? claim) =>
        claim?.Metadata.OwnerReferences?.Any(o => o.Kind == "DataVolume") == true
        && claim.Metadata.Labels?.ContainsKey(WorkspaceRetention.RetainedFromLabel) != true;

    /// <summary>What to do about the disk of <paramref name="workspace"/> given its <paramref name="claim"/>.</summary>
    public static DiskGrowthPlan Plan(V1Alpha1Workspace workspace, V1PersistentVolumeClaim? claim)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var requested = RequestOf(claim);
        if (claim is null || requested is null || !IsLiveRootDisk(claim))
        {
            return DiskGrowthPlan.None;
        }
        var capacity = claim.Status?.Phase == "Bound" ? CapacityOf(claim) : null;
        var wanted = workspace.Spec.Disk?.Size;
        var grow = claim.Status?.Phase == "Bound"
            && KubernetesQuantity.TryParse(wanted, out _, out var want) && KubernetesQuantity.TryParse(requested, out _, out var have) && want > have;
        return new DiskGrowthPlan(grow ? wanted : null, requested, capacity);
    }

    /// <summary>The claim's requested storage.</summary>
    public static string? RequestOf(V1PersistentVolumeClaim? claim) =>
        claim?.Spec?.Resources?.Requests is { } requests && requests.TryGetValue("storage", out var size) ? size.ToString() : null;

    /// <summary>The claim's reported capacity.</summary>
    public static string? CapacityOf(V1PersistentVolumeClaim? claim) =>
        claim?.Status?.Capacity is { } capacity && capacity.TryGetValue("storage", out var size) ? size.ToString() : null;
}
