using k8s.Models;
using MedOps.NodeSimulator.Kube;
using MedOps.NodeSimulator.Nodes;

namespace MedOps.NodeSimulator.Storage;

/// <summary>The next write that brings a claim closer to Bound, one step at a time.</summary>
internal enum ClaimStep
{
    /// <summary>Nothing to do: bound already, being deleted, or bound to a volume that is not ours.</summary>
    None,

    /// <summary>Create the claim's volume (<see cref="StoragePlanner.NewVolume"/>).</summary>
    CreateVolume,

    /// <summary>Write the volume's status <c>phase: Bound</c>.</summary>
    MarkVolumeBound,

    /// <summary>Update the claim: <c>spec.volumeName</c> and the bind-completed annotations.</summary>
    SetVolumeName,

    /// <summary>Write the claim's status: <c>phase: Bound</c>, access modes, capacity.</summary>
    MarkClaimBound,

    /// <summary>A volume of our name exists but belongs to something else: leave both alone.</summary>
    NotOurs,
}

/// <summary>What happens to a simulated volume.</summary>
internal enum VolumeStep
{
    /// <summary>Its claim still exists (or it is already being deleted): nothing.</summary>
    None,

    /// <summary>Its claim is gone: write status <c>phase: Released</c> (the pv-protection finalizer then lets go).</summary>
    Release,

    /// <summary>Released: delete it (reclaim policy Delete).</summary>
    Delete,
}

/// <summary>
/// The PersistentVolume controller and a dynamic provisioner in pure functions (both absent from
/// the local cluster: no provisioner, and the controller-manager runs without the PV binder).
/// Every Pending claim without a <c>spec.volumeName</c> gets a hostPath volume named
/// <c>pvc-&lt;claim uid&gt;</c>, then both are bound in the controller's order: volume status,
/// claim spec, claim status. A claim's <c>Bound</c> phase is the last write, so a restarted
/// simulator finds any half-done binding from the objects alone and finishes it. When a claim is
/// gone its volume is released, then deleted.
/// </summary>
internal static class StoragePlanner
{
    public const string Pending = "Pending";
    public const string Bound = "Bound";
    public const string Released = "Released";
    public const string DefaultSize = "1Gi";
    public const string DefaultAccessMode = "ReadWriteOnce";
    public const string HostPathRoot = "/var/lib/medops-sim/";

    /// <summary>The scheduler counts a claim as bound only with a volume name and this annotation.</summary>
    public const string BindCompletedAnnotation = "pv.kubernetes.io/bind-completed";
    public const string BoundByControllerAnnotation = "pv.kubernetes.io/bound-by-controller";
    public const string ProvisionedByAnnotation = "pv.kubernetes.io/provisioned-by";
    public const string ProvisionerName = "medops.io/node-simulator";

    public static string VolumeNameFor(V1PersistentVolumeClaim claim) => "pvc-" + claim.Metadata.Uid;

    /// <summary>True for a volume this simulator provisioned (it carries the simulated label).</summary>
    public static bool IsSimulated(V1PersistentVolume volume) =>
        volume.Metadata.Labels?.TryGetValue(NodeCatalog.SimulatedLabel, out var value) == true && value == "true";

    /// <summary>The cache key (<c>namespace/name</c>) of the claim a volume is bound to, or null.</summary>
    public static string? ClaimKey(V1PersistentVolume volume) =>
        volume.Spec?.ClaimRef is { Name: { Length: > 0 } name, NamespaceProperty: { Length: > 0 } ns } ? $"{ns}/{name}" : null;

    /// <summary>
    /// The next step for <paramref name="claim"/>, given the volume named <c>pvc-&lt;its uid&gt;</c>
    /// as far as we know it (null: it does not exist). Only claims that are Pending (or have no
    /// phase yet), not being deleted, and have no <c>spec.volumeName</c> or ours get a volume.
    /// </summary>
    public static ClaimStep PlanClaim(V1PersistentVolumeClaim claim, V1PersistentVolume? volume)
    {
        if (claim.Metadata.DeletionTimestamp is not null || !IsPending(claim))
        {
            return ClaimStep.None;
        }

        var ours = VolumeNameFor(claim);
        var volumeName = claim.Spec?.VolumeName;
        if (!string.IsNullOrEmpty(volumeName) && volumeName != ours)
        {
            return ClaimStep.None; // asks for a particular volume: that is for whoever made it
        }

        if (volume is null)
        {
            return ClaimStep.CreateVolume;
        }

        if (!IsSimulated(volume) || volume.Spec?.ClaimRef?.Uid != claim.Metadata.Uid)
        {
            return ClaimStep.NotOurs;
        }

        if (volume.Metadata.DeletionTimestamp is not null)
        {
            return ClaimStep.None;
        }

        if (volume.Status?.Phase != Bound)
        {
            return ClaimStep.MarkVolumeBound;
        }

        return volumeName != ours || claim.Metadata.Annotations?.ContainsKey(BindCompletedAnnotation) != true
            ? ClaimStep.SetVolumeName
            : ClaimStep.MarkClaimBound;
    }

    /// <summary>
    /// The volume provisioned for <paramref name="claim"/>: the requested size (1Gi when none),
    /// its access modes, storage class and volume mode, reclaim policy Delete, a hostPath under
    /// <see cref="HostPathRoot"/> (no kubelet ever creates it), already claimed by the claim.
    /// </summary>
    public static V1PersistentVolume NewVolume(V1PersistentVolumeClaim claim)
    {
        var size = claim.Spec?.Resources?.Requests is { } requests && requests.TryGetValue("storage", out var requested)
            ? requested.ToString()
            : DefaultSize;
        var accessModes = claim.Spec?.AccessModes is { Count: > 0 } modes ? modes.ToList() : [DefaultAccessMode];
        var storageClass = claim.Spec?.StorageClassName;
        return new V1PersistentVolume
        {
            ApiVersion = "v1",
            Kind = "PersistentVolume",
            Metadata = new V1ObjectMeta
            {
                Name = VolumeNameFor(claim),
                Labels = new Dictionary<string, string> { [NodeCatalog.SimulatedLabel] = "true" },
                Annotations = new Dictionary<string, string> { [ProvisionedByAnnotation] = ProvisionerName },
            },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
                AccessModes = accessModes,
                // The apiserver stores "" as absent: leaving it out is the same class ("no class").
                StorageClassName = string.IsNullOrEmpty(storageClass) ? null : storageClass,
                VolumeMode = claim.Spec?.VolumeMode,
                PersistentVolumeReclaimPolicy = "Delete",
                HostPath = new V1HostPathVolumeSource { Path = HostPathRoot + claim.Metadata.Uid, Type = "DirectoryOrCreate" },
                ClaimRef = new V1ObjectReference
                {
                    ApiVersion = "v1",
                    Kind = "PersistentVolumeClaim",
                    NamespaceProperty = claim.Metadata.NamespaceProperty,
                    Name = claim.Metadata.Name,
                    Uid = claim.Metadata.Uid,
                },
            },
        };
    }

    /// <summary>A copy of the volume with status <c>phase</c> set, for a status write.</summary>
    public static V1PersistentVolume WithPhase(V1PersistentVolume volume, string phase)
    {
        var copy = JsonCopy.Clone(volume);
        copy.Status ??= new V1PersistentVolumeStatus();
        copy.Status.Phase = phase;
        copy.Status.Message = null;
        copy.Status.Reason = null;
        return copy;
    }

    /// <summary>A copy of the claim pointing at its volume, annotated as the PV controller does on binding.</summary>
    public static V1PersistentVolumeClaim WithVolumeName(V1PersistentVolumeClaim claim)
    {
        var copy = JsonCopy.Clone(claim);
        copy.Spec.VolumeName = VolumeNameFor(claim);
        copy.Metadata.Annotations ??= new Dictionary<string, string>();
        copy.Metadata.Annotations[BindCompletedAnnotation] = "yes";
        copy.Metadata.Annotations[BoundByControllerAnnotation] = "yes";
        return copy;
    }

    /// <summary>A copy of the claim with the status of a bound claim: what the volume offers.</summary>
    public static V1PersistentVolumeClaim WithBoundStatus(V1PersistentVolumeClaim claim, V1PersistentVolume volume)
    {
        var copy = JsonCopy.Clone(claim);
        copy.Status ??= new V1PersistentVolumeClaimStatus();
        copy.Status.Phase = Bound;
        copy.Status.AccessModes = [.. volume.Spec.AccessModes];
        copy.Status.Capacity = volume.Spec.Capacity.ToDictionary(c => c.Key, c => new ResourceQuantity(c.Value.ToString()), StringComparer.Ordinal);
        return copy;
    }

    /// <summary>
    /// What becomes of a volume, given the claim that the cache holds under its claimRef's
    /// namespace and name (null: none). Volumes we did not provision are never touched.
    /// </summary>
    public static VolumeStep PlanVolume(V1PersistentVolume volume, V1PersistentVolumeClaim? claim)
    {
        if (!IsSimulated(volume))
        {
            return VolumeStep.None;
        }

        var claimRef = volume.Spec?.ClaimRef;
        if (claim is not null && claimRef is not null && claim.Metadata.Uid == claimRef.Uid)
        {
            return VolumeStep.None;
        }

        if (volume.Status?.Phase is not (Released or "Failed"))
        {
            return VolumeStep.Release;
        }

        return volume.Metadata.DeletionTimestamp is null ? VolumeStep.Delete : VolumeStep.None;
    }

    private static bool IsPending(V1PersistentVolumeClaim claim) => claim.Status?.Phase is null or "" or Pending;
}
