using MedOps.Api.V1Alpha1;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// The rule that a classification can be raised, never lowered, except by someone whom RBAC
/// grants the <c>declassify</c> verb on the kind. Lowering PHI to Public removes the
/// NetworkPolicy that confines a workload, so it must be a deliberate act of an authorised
/// person, not something any <c>edit</c> user can do in passing. A model's usage is held the
/// same way: lowering Clinical to Research lifts the two-person approval of its versions.
/// </summary>
public static class Declassification
{
    /// <summary>The RBAC verb that allows lowering a classification.</summary>
    public const string Verb = "declassify";

    /// <summary>The field.</summary>
    public const string Field = "spec.dataClassification";

    /// <summary>A MedicalModel's usage field.</summary>
    public const string UsageField = "spec.usage";

    /// <summary>
    /// Null when <paramref name="next"/> is not lower than <paramref name="previous"/> or the user
    /// may declassify <paramref name="resource"/>; otherwise a forbidden violation.
    /// </summary>
    public static async Task<FieldViolation?> CheckAsync(
        AdmissionRequest request, DataClassification previous, DataClassification next, string resource,
        IAccessReviewer reviewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reviewer);
        if (!Sensitivity.IsLowered(previous, next))
        {
            return null;
        }
        if (await AdmissionRules.MayAsync(request, Verb, resource, reviewer, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new FieldViolation(Field,
            $"{Field}: lowering {previous} to {next} needs the \"{Verb}\" permission on {resource}.{GroupVersion.Group}, which {request.UserInfo.Username} does not have; keep {previous}, or ask someone bound to the MedOps declassifier role to change it",
            Forbidden: true);
    }

    /// <summary>
    /// Null unless a MedicalModel's usage goes from Clinical to Research and the user may not
    /// declassify the model; otherwise a forbidden violation. Research models serve without
    /// approval, so this is the way around the two-person rule and needs the same permission.
    /// </summary>
    public static async Task<FieldViolation?> CheckUsageAsync(
        AdmissionRequest request, ModelUsage previous, ModelUsage next, IAccessReviewer reviewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reviewer);
        if (previous != ModelUsage.Clinical || next == ModelUsage.Clinical)
        {
            return null;
        }
        const string resource = V1Alpha1MedicalModel.KubePluralName;
        if (await AdmissionRules.MayAsync(request, Verb, resource, reviewer, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new FieldViolation(UsageField,
            $"{UsageField}: lowering {previous} to {next} needs the \"{Verb}\" permission on {resource}.{GroupVersion.Group}, which {request.UserInfo.Username} does not have; keep {previous}, or ask someone bound to the MedOps declassifier role to change it",
            Forbidden: true);
    }
}
