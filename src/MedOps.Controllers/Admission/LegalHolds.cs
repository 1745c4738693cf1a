using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Workspaces;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// A workspace's legal hold at the door: while <c>spec.legalHold</c> is set, its disk and image
/// cannot change and its protecting finalizer cannot be removed; removing or changing the hold
/// needs the RBAC verb <see cref="Verb"/> (the same pattern as <c>declassify</c>). Placing a hold
/// needs nothing more than the right to edit the workspace: it only protects.
/// </summary>
public static class LegalHolds
{
    /// <summary>The RBAC verb that lifts or changes a legal hold.</summary>
    public const string Verb = "release-hold";

    /// <summary>The field.</summary>
    public const string Field = "spec.legalHold";

    /// <summary>A refusal when the update removes the finalizer of a held workspace.</summary>
    public static FieldViolation? FinalizerRemoved(V1Alpha1Workspace old, V1Alpha1Workspace next)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(next);
        return WorkspaceRetention.IsHeld(old) && WorkspaceRetention.IsHeld(next)
            && WorkspaceRetention.HasFinalizer(old) && !WorkspaceRetention.HasFinalizer(next)
            ? new FieldViolation("metadata.finalizers",
                $"metadata.finalizers: {WorkspaceRetention.Finalizer} keeps the workspace and its disk under legal hold \"{old.Spec.LegalHold}\" and cannot be removed while the hold is set; remove {Field} first (needs the \"{Verb}\" permission)",
                Forbidden: true)
            : null;
    }

    /// <summary>Null unless the update removes or changes a hold that the user may not release.</summary>
    public static async Task<FieldViolation?> CheckReleaseAsync(
        AdmissionRequest request, V1Alpha1Workspace old, V1Alpha1Workspace next, IAccessReviewer reviewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(reviewer);
        if (!WorkspaceRetention.IsHeld(old) || string.Equals(old.Spec.LegalHold, next.Spec.LegalHold, StringComparison.Ordinal))
        {
            return null;
        }
        if (await AdmissionRules.MayAsync(request, Verb, V1Alpha1Workspace.KubePluralName, reviewer, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var change = WorkspaceRetention.IsHeld(next) ? $"changing it to \"{next.Spec.LegalHold}\"" : "removing it";
        return new FieldViolation(Field,
            $"{Field}: the workspace is under legal hold \"{old.Spec.LegalHold}\"; {change} needs the \"{Verb}\" permission on {V1Alpha1Workspace.KubePluralName}.{GroupVersion.Group}, which {request.UserInfo.Username} does not have",
            Forbidden: true);
    }

    /// <summary>The disk and image changes refused while a hold stays set.</summary>
    public static IEnumerable<FieldViolation> FrozenChanges(V1Alpha1Workspace old, V1Alpha1Workspace next)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(next);
        if (!WorkspaceRetention.IsHeld(old) || !WorkspaceRetention.IsHeld(next))
        {
            yield break;
        }
        if (!AdmissionRules.SpecUnchanged(old.Spec.Disk, next.Spec.Disk))
        {
            yield return new FieldViolation("spec.disk",
                $"spec.disk cannot change while legal hold \"{old.Spec.LegalHold}\" is set: the disk is preserved as it is", Forbidden: true);
        }
        if (!AdmissionRules.SpecUnchanged(old.Spec.Image, next.Spec.Image))
        {
            yield return new FieldViolation("spec.image",
                $"spec.image cannot change while legal hold \"{old.Spec.LegalHold}\" is set: the disk is preserved as it is", Forbidden: true);
        }
    }
}
