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

/// <summary>The next write of a volume expansion (a bound claim asking for more than its volume has).</summary>
internal enum ExpansionStep
{
    /// <summary>Nothing to do now (see <see cref="ExpansionDecision.WakeAt"/>): not ours, not larger, or waiting.</summary>
    None,

    /// <summary>The controller's part: raise the volume's <c>spec.capacity.storage</c> to the claim's request.</summary>
    ExpandVolume,

    /// <summary>Write the claim's condition <c>FileSystemResizePending</c>: the node's part (the file system) has begun.</summary>
    MarkResizePending,

    /// <summary>The node's part is done: the claim's status <c>capacity</c> becomes the volume's, the condition goes.</summary>
    MarkClaimExpanded,
}

/// <summary>An expansion step, and when to look again when there is none now.</summary>
internal sealed record ExpansionDecision(ExpansionStep Step, DateTime? WakeAt = null);

/// <summary>
/// The PersistentVolume controller and a dynamic provisioner in pure functions (both absent from
/// the local cluster: no provisioner, and the controller-manager runs without the PV binder).
/// Every Pending claim without a <c>spec.volumeName</c> gets a hostPath volume named
/// <c>pvc-&lt;claim uid&gt;</c>, then both are bound in the controller's order: volume status,
/// claim spec, claim status. A claim's <c>Bound</c> phase is the last write, so a restarted
/// simulator finds any half-done binding from the objects alone and finishes it. A bound claim that
/// asks for more gets it (<see cref="PlanExpansion"/>). When a claim is gone its volume is
/// released, then deleted.
/// </summary>
internal static class StoragePlanner
{
    public const string Pending = "Pending";
    public const string Bound = "Bound";
    public const string Released = "Released";
    public const string DefaultSize = "1Gi";
    public const string DefaultAccessMode = "ReadWriteOnce";
    /// <summary>Where the volumes' hostPaths are when the simulator is given no <c>--host-path-root</c>.</summary>
    public const string DefaultHostPathRoot = "/var/lib/medops-sim/";

    /// <summary>The claim conditions of an expansion in progress (the kubelet's and the resizer's).</summary>
    public const string FileSystemResizePending = "FileSystemResizePending";
    public const string Resizing = "Resizing";

    /// <summary>The scheduler counts a claim as bound only with a volume name and this annotation.</summary>
    public const string BindCompletedAnnotation = "pv.kubernetes.io/bind-completed";
    public const string BoundByControllerAnnotation = "pv.kubernetes.io/bound-by-controller";
    public const string ProvisionedByAnnotation = "pv.kubernetes.io/provisioned-by";
    public const string ProvisionerName = "medops.io/node-simulator";

    public static string VolumeNameFor(V1PersistentVolumeClaim claim) => "pvc-" + claim.Metadata.Uid;

    /// <summary>The folder of <paramref name="claim"/>'s volume under <paramref name="hostPathRoot"/>.</summary>
    public static string HostPathFor(V1PersistentVolumeClaim claim, string hostPathRoot) =>
        (hostPathRoot.EndsWith('/') ? hostPathRoot : hostPathRoot + "/") + claim.Metadata.Uid;

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
    /// its access modes, storage class and volume mode, reclaim policy Delete, a hostPath
    /// <c>&lt;hostPathRoot&gt;&lt;claim uid&gt;</c>, already claimed by the claim.
    /// </summary>
    public static V1PersistentVolume NewVolume(V1PersistentVolumeClaim claim, string hostPathRoot = DefaultHostPathRoot)
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
                HostPath = new V1HostPathVolumeSource { Path = HostPathFor(claim, hostPathRoot), Type = "DirectoryOrCreate" },
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

    /// <summary>
    /// Volume expansion, as the external resizer and the kubelet do it, for a Bound claim of a
    /// volume we provisioned: when the claim requests more than the volume's capacity, first the
    /// volume grows to the request (<see cref="ExpansionStep.ExpandVolume"/>); then the claim gets
    /// the condition <c>FileSystemResizePending</c>; <paramref name="delay"/> after that condition's
    /// time, the claim's status capacity becomes the volume's. Never shrinks (the API server refuses
    /// a smaller request anyway), and does not look at the StorageClass: the API server's
    /// PersistentVolumeClaimResize admission has already refused a claim whose class does not
    /// allow expansion. Everything is read from the objects, so a restarted simulator carries on.
    /// </summary>
    public static ExpansionDecision PlanExpansion(V1PersistentVolumeClaim claim, V1PersistentVolume? volume, DateTime now, TimeSpan delay)
    {
        if (claim.Metadata.DeletionTimestamp is not null || claim.Status?.Phase != Bound || volume is null
            || claim.Spec?.VolumeName != VolumeNameFor(claim) || !IsSimulated(volume)
            || volume.Spec?.ClaimRef?.Uid != claim.Metadata.Uid || volume.Metadata.DeletionTimestamp is not null)
        {
            return new ExpansionDecision(ExpansionStep.None);
        }

        var requested = StorageOf(claim.Spec.Resources?.Requests);
        var capacity = StorageOf(volume.Spec.Capacity);
        if (requested is null || capacity is null)
        {
            return new ExpansionDecision(ExpansionStep.None);
        }

        if (requested > capacity)
        {
            return new ExpansionDecision(ExpansionStep.ExpandVolume);
        }

        if (StorageOf(claim.Status.Capacity) is { } claimCapacity && claimCapacity >= capacity)
        {
            return new ExpansionDecision(ExpansionStep.None);
        }

        var pending = claim.Status.Conditions?.FirstOrDefault(c => c.Type == FileSystemResizePending && c.Status == "True");
        if (pending?.LastTransitionTime is not { } since)
        {
            return new ExpansionDecision(ExpansionStep.MarkResizePending);
        }

        var doneAt = Timestamps.AsUtc(since) + delay;
        return Timestamps.AsUtc(now) >= doneAt
            ? new ExpansionDecision(ExpansionStep.MarkClaimExpanded)
            : new ExpansionDecision(ExpansionStep.None, doneAt);
    }

    /// <summary>A copy of the volume with <c>spec.capacity.storage</c> raised to the claim's request, for an update.</summary>
    public static V1PersistentVolume WithRequestedCapacity(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        var copy = JsonCopy.Clone(volume);
        copy.Spec.Capacity ??= new Dictionary<string, ResourceQuantity>();
        copy.Spec.Capacity["storage"] = new ResourceQuantity(claim.Spec.Resources.Requests["storage"].ToString());
        return copy;
    }

    /// <summary>
    /// A copy of the claim with the condition <c>FileSystemResizePending</c> (since the next whole
    /// second: the delay is timed from it), for a status write.
    /// </summary>
    public static V1PersistentVolumeClaim WithResizePending(V1PersistentVolumeClaim claim, V1PersistentVolume volume, DateTime now)
    {
        var copy = JsonCopy.Clone(claim);
        copy.Status ??= new V1PersistentVolumeClaimStatus();
        var conditions = copy.Status.Conditions?.Where(c => c.Type != FileSystemResizePending).ToList() ?? [];
        conditions.Add(new V1PersistentVolumeClaimCondition
        {
            Type = FileSystemResizePending,
            Status = "True",
            LastTransitionTime = Timestamps.NextWholeSecond(now),
            Message = $"Waiting for the simulated node to finish the file system resize of volume {volume.Metadata.Name} " +
                      $"to {volume.Spec.Capacity["storage"]}.",
        });
        copy.Status.Conditions = conditions;
        return copy;
    }

    /// <summary>A copy of the claim whose status capacity is the volume's, without resize conditions, for a status write.</summary>
    public static V1PersistentVolumeClaim WithExpandedStatus(V1PersistentVolumeClaim claim, V1PersistentVolume volume)
    {
        var copy = JsonCopy.Clone(claim);
        copy.Status ??= new V1PersistentVolumeClaimStatus();
        copy.Status.Capacity = volume.Spec.Capacity.ToDictionary(c => c.Key, c => new ResourceQuantity(c.Value.ToString()), StringComparer.Ordinal);
        var conditions = copy.Status.Conditions?.Where(c => c.Type is not (FileSystemResizePending or Resizing)).ToList();
        copy.Status.Conditions = conditions is { Count: > 0 } ? conditions : null;
        return copy;
    }

    /// <summary>The <c>storage</c> entry of a resource list in bytes, or null.</summary>
    public static decimal? StorageOf(IDictionary<string, ResourceQuantity>? resources) =>
        resources is not null && resources.TryGetValue("storage", out var quantity) && quantity is not null ? quantity.ToDecimal() : null;

    private static bool IsPending(V1PersistentVolumeClaim claim) => claim.Status?.Phase is null or "" or Pending;
}
