using MedOps.Controllers.Shared;
using MedOps.Runtime.Admission;
using MedOps.Runtime.Api;

namespace MedOps.Controllers.Admission;

/// <summary>Small pieces every kind's admission uses.</summary>
internal static class AdmissionRules
{
    /// <summary>The validators' problems as refused fields.</summary>
    public static IEnumerable<FieldViolation> Violations(IEnumerable<Problem> problems) =>
        problems.Select(p => new FieldViolation(p.Field ?? "spec", p.Message));

    /// <summary>
    /// True when an UPDATE leaves the spec as it was (labels, annotations, finalizers): always
    /// allowed, so that objects stored before the webhook, or before a guardrail was tightened,
    /// can still be labelled and deleted.
    /// </summary>
    public static bool SpecUnchanged(object? oldSpec, object? newSpec) =>
        oldSpec is not null && newSpec is not null
        && KubeJson.SerializeToUtf8Bytes(oldSpec).AsSpan().SequenceEqual(KubeJson.SerializeToUtf8Bytes(newSpec));

    /// <summary>A refusal of a change to a field that cannot change.</summary>
    public static FieldViolation Immutable(string field, string why) =>
        new(field, $"{field} cannot be changed after creation ({why}): delete the object and create it again with the new value");

    /// <summary>
    /// True when the requester may <paramref name="verb"/> the requested object of
    /// <paramref name="resource"/> (a SubjectAccessReview): the one check behind every rule that
    /// a dedicated RBAC verb lifts (declassify, release-hold).
    /// </summary>
    public static Task<bool> MayAsync(AdmissionRequest request, string verb, string resource, IAccessReviewer reviewer, CancellationToken cancellationToken) =>
        MayAsync(request, verb, resource, request.Name, reviewer, cancellationToken);

    /// <summary>
    /// True when the requester may <paramref name="verb"/> the object <paramref name="name"/> of
    /// <paramref name="resource"/> in the request's namespace: for a rule about another object
    /// than the requested one (approving a model is a verb on the model, not on the approval).
    /// </summary>
    public static Task<bool> MayAsync(AdmissionRequest request, string verb, string resource, string? name, IAccessReviewer reviewer, CancellationToken cancellationToken) =>
        reviewer.IsAllowedAsync(request.UserInfo,
            new ResourceAttributes(verb, Api.V1Alpha1.GroupVersion.Group, resource, request.Namespace, name), cancellationToken);

    /// <summary>Adds the violation when it is not null.</summary>
    public static void AddIfAny(this List<FieldViolation> violations, FieldViolation? violation)
    {
        if (violation is not null)
        {
            violations.Add(violation);
        }
    }
}
