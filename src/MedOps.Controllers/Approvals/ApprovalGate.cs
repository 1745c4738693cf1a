using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels;

namespace MedOps.Controllers.Approvals;

/// <summary>What a Clinical model's approvals allow its reconcile to do with the children.</summary>
public enum ApprovalAction
{
    /// <summary>Apply the children from the spec (a Research model, or an approved version).</summary>
    Apply,

    /// <summary>Leave the children exactly as they are: the last approved version keeps serving while the new one waits.</summary>
    Keep,

    /// <summary>Apply the children scaled to zero: no approved version may serve.</summary>
    Hold,
}

/// <summary>The gate's decision: what to do, the approval status to report, and whether this decision changes what serves.</summary>
/// <param name="Action">What the reconcile does with the children.</param>
/// <param name="Status">The model's <c>status.approval</c>; null for Research models.</param>
/// <param name="Reason">For Keep and Hold: <c>AwaitingApproval</c> or <c>ApprovalRevoked</c>.</param>
/// <param name="Message">For people: what waits for whom.</param>
public sealed record ApprovalDecision(ApprovalAction Action, ModelApprovalStatus? Status, string? Reason = null, string? Message = null)
{
    /// <summary>True when the approval state or the approved version differs from <paramref name="previous"/>.</summary>
    public bool Changes(ModelApprovalStatus? previous) =>
        previous?.State != Status?.State || previous?.Approved?.Version != Status?.Approved?.Version
        || previous?.Approved?.Digest != Status?.Approved?.Digest || previous?.Approved?.Approval != Status?.Approved?.Approval;
}

/// <summary>
/// Decides whether a MedicalModel's current version may serve. Research models always may. A
/// Clinical model serves its current version and digest only with a ModelApproval that covers
/// them and whose approver is neither the model's creator nor whoever set this version. While
/// the current version waits, the version approved before keeps serving, untouched, as long as
/// its approval exists; when that approval is deleted, the model is held at zero replicas.
/// Pure: the reconciler passes the approvals from its cache.
/// </summary>
public static class ApprovalGate
{
    /// <summary>Decides for <paramref name="model"/> given the approvals in its namespace that name it.</summary>
    public static ApprovalDecision Decide(V1Alpha1MedicalModel model, IEnumerable<V1Alpha1ModelApproval> approvals)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(approvals);
        if (model.Spec.Usage != ModelUsage.Clinical)
        {
            return new ApprovalDecision(ApprovalAction.Apply, null);
        }
        var all = approvals.ToList();
        var previous = model.Status?.Approval;
        var current = new ApprovedModelVersion { Version = model.Spec.Version, Digest = model.Spec.Source?.Digest };

        // Oldest first, so the approval named in the status stays the one shown.
        var covering = all.Where(a => ApprovalRules.Covers(a, model) && !Predates(a, model) && ApprovalRules.IndependenceProblem(a.Spec.Approver, model) is null)
            .OrderBy(a => a.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(a => a.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var approval = covering.FirstOrDefault(a => a.Metadata.Name == previous?.Approved?.Approval) ?? covering.FirstOrDefault();
        if (approval is not null)
        {
            return new ApprovalDecision(ApprovalAction.Apply, new ModelApprovalStatus
            {
                State = ModelApprovalState.Approved,
                Approved = new ApprovedModelVersion
                {
                    Version = current.Version,
                    Digest = current.Digest,
                    Approval = approval.Metadata.Name,
                    Approver = approval.Spec.Approver,
                },
            });
        }

        var waiting = WaitingMessage(model, all);
        if (previous?.Approved is { } serving && StillApproved(serving, all))
        {
            return new ApprovalDecision(ApprovalAction.Keep,
                new ModelApprovalStatus { State = ModelApprovalState.AwaitingApproval, Approved = serving, Pending = current },
                MedicalModelReasons.AwaitingApproval,
                $"version {serving.Version} (approved by {serving.Approver}) keeps serving; {waiting}");
        }

        var revoked = previous?.Approved is not null || previous?.State == ModelApprovalState.Revoked;
        return revoked
            ? new ApprovalDecision(ApprovalAction.Hold,
                new ModelApprovalStatus { State = ModelApprovalState.Revoked, Pending = current },
                MedicalModelReasons.ApprovalRevoked,
                previous?.Approved is { } lost
                    ? $"ModelApproval {lost.Approval} of version {lost.Version} was deleted: scaled to zero; {waiting}"
                    : $"the serving version's approval was deleted: scaled to zero; {waiting}")
            : new ApprovalDecision(ApprovalAction.Hold,
                new ModelApprovalStatus { State = ModelApprovalState.AwaitingApproval, Pending = current },
                MedicalModelReasons.AwaitingApproval,
                $"not serving until approved: {waiting}");
    }

    // An approval made before the model existed was made for an earlier model of the same name
    // (approvals are refused for a model that does not exist): it does not cover a model deleted
    // and created again, even with the same version and digest.
    private static bool Predates(V1Alpha1ModelApproval approval, V1Alpha1MedicalModel model) =>
        approval.Metadata.CreationTimestamp is { } approved && model.Metadata.CreationTimestamp is { } created && approved < created;

    // The approval the status names still exists, for the same version and digest.
    private static bool StillApproved(ApprovedModelVersion serving, IEnumerable<V1Alpha1ModelApproval> approvals) =>
        approvals.Any(a => a.Metadata.Name == serving.Approval && a.Spec.Version == serving.Version && a.Spec.Digest == serving.Digest);

    private static string WaitingMessage(V1Alpha1MedicalModel model, IReadOnlyList<V1Alpha1ModelApproval> approvals)
    {
        var what = $"version {model.Spec.Version} ({model.Spec.Source?.Digest}) waits for a ModelApproval by a second person";
        // An approval that covers the version but not by an independent person says why it does not count.
        var dependent = approvals.FirstOrDefault(a => ApprovalRules.Covers(a, model));
        if (dependent is not null && Predates(dependent, model))
        {
            return $"{what}; ModelApproval {dependent.Metadata.Name} does not count: it was made before this model was created, for an earlier model of the same name";
        }
        return dependent is not null && ApprovalRules.IndependenceProblem(dependent.Spec.Approver, model) is { } why
            ? $"{what}; ModelApproval {dependent.Metadata.Name} does not count: {why}"
            : what;
    }
}
