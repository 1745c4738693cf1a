using k8s.Models;
using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Workspaces;

/// <summary>What deleting a workspace does now.</summary>
public enum DeletionStep
{
    /// <summary>Not being deleted, or nothing of MedOps' holds it: the garbage collector does the rest.</summary>
    None,

    /// <summary>A legal hold keeps the workspace and its disk until the hold is removed.</summary>
    Held,

    /// <summary>Detach the disk's claim from its owners and label it, then let the workspace go.</summary>
    RetainDisk,

    /// <summary>Remove the finalizer: the garbage collector deletes the VM, the DataVolume and the claim.</summary>
    Release,
}

/// <summary>
/// Retention and legal hold: a workspace whose disk is retained or which is under a legal hold
/// carries the finalizer <see cref="Finalizer"/>, so its deletion waits for the operator to
/// keep the disk (detach the claim from the DataVolume that owns it) or for the hold to end.
/// Pure decisions; the reconciler does the writes.
/// </summary>
public static class WorkspaceRetention
{
    /// <summary>The finalizer of retained and held workspaces.</summary>
    public const string Finalizer = "medops.io/workspace-protection";

    /// <summary>Label on a retained claim: the workspace it came from.</summary>
    public const string RetainedFromLabel = "medops.io/retained-from-workspace";

    /// <summary>Label on a retained claim: the workspace's data classification.</summary>
    public const string ClassificationLabel = "medops.io/data-classification";

    /// <summary>Annotation on a retained claim: the workspace's owner (an e-mail is no label value).</summary>
    public const string OwnerAnnotation = "medops.io/owner";

    /// <summary>Annotation on a retained claim: when the workspace was deleted.</summary>
    public const string RetainedAtAnnotation = "medops.io/retained-at";

    /// <summary>True when the workspace is under a legal hold.</summary>
    public static bool IsHeld(V1Alpha1Workspace workspace) => !string.IsNullOrEmpty(workspace?.Spec.LegalHold);

    /// <summary>True when deleting the workspace must wait for the operator (Retain, or a hold).</summary>
    public static bool NeedsFinalizer(V1Alpha1Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return IsHeld(workspace) || workspace.Spec.Disk?.ReclaimPolicy == DiskReclaimPolicy.Retain;
    }

    /// <summary>True when the workspace carries <see cref="Finalizer"/>.</summary>
    public static bool HasFinalizer(V1Alpha1Workspace workspace) => workspace?.Metadata.Finalizers?.Contains(Finalizer) == true;

    /// <summary>The step a deletion is at.</summary>
    public static DeletionStep Plan(V1Alpha1Workspace workspace, V1PersistentVolumeClaim? claim)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.Metadata.DeletionTimestamp is null || !HasFinalizer(workspace))
        {
            return DeletionStep.None;
        }
        if (IsHeld(workspace))
        {
            return DeletionStep.Held;
        }
        return workspace.Spec.Disk?.ReclaimPolicy == DiskReclaimPolicy.Retain && claim is not null && !IsRetained(claim, workspace)
            ? DeletionStep.RetainDisk
            : DeletionStep.Release;
    }

    /// <summary>True once the claim is detached from its owners and labelled for this workspace.</summary>
    public static bool IsRetained(V1PersistentVolumeClaim claim, V1Alpha1Workspace workspace) =>
        claim?.Metadata.OwnerReferences is not { Count: > 0 }
        && claim?.Metadata.Labels?.TryGetValue(RetainedFromLabel, out var from) == true && from == workspace?.Metadata.Name;

    /// <summary>The merge patch that keeps the claim: no owners (so no garbage collection), and where it came from.</summary>
    public static string RetainPatch(V1Alpha1Workspace workspace, V1PersistentVolumeClaim claim, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(claim);
        var patch = new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["resourceVersion"] = claim.Metadata.ResourceVersion,
                ["ownerReferences"] = new System.Text.Json.Nodes.JsonArray(),
                ["labels"] = new System.Text.Json.Nodes.JsonObject
                {
                    [RetainedFromLabel] = workspace.Metadata.Name,
                    [ClassificationLabel] = workspace.Spec.DataClassification.ToString(),
                },
                ["annotations"] = new System.Text.Json.Nodes.JsonObject
                {
                    [OwnerAnnotation] = workspace.Spec.Owner,
                    [RetainedAtAnnotation] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                },
            },
        };
        return patch.ToJsonString();
    }
}
