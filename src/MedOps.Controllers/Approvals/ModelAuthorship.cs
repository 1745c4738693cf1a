using MedOps.Api.V1Alpha1;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Approvals;

/// <summary>
/// Who created a MedicalModel and who set its current version, as the admission webhook records
/// them in two annotations from the authenticated user of each request. A second person's
/// approval is only meaningful if the first person is known, so these are never taken from the
/// client: the mutating webhook writes them and the validating webhook refuses any other value.
/// </summary>
public static class ModelAuthorship
{
    /// <summary>The user who created the model.</summary>
    public const string CreatedByAnnotation = "medops.io/created-by";

    /// <summary>
    /// The user who created the model or last changed what it serves: <c>spec.version</c>,
    /// <c>spec.source.uri</c>, <c>spec.source.trainingJobRef.name</c> or <c>spec.source.digest</c>.
    /// </summary>
    public const string VersionSetByAnnotation = "medops.io/version-set-by";

    /// <summary>
    /// True when <paramref name="model"/> serves something else than <paramref name="old"/>: its
    /// version, source or digest changed. An unset value and an empty one are the same.
    /// </summary>
    public static bool VersionChanged(V1Alpha1MedicalModel old, V1Alpha1MedicalModel model)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(model);
        return !Same(old.Spec.Version, model.Spec.Version)
            || !Same(old.Spec.Source?.Uri, model.Spec.Source?.Uri)
            || !Same(old.Spec.Source?.TrainingJobRef?.Name, model.Spec.Source?.TrainingJobRef?.Name)
            || !Same(old.Spec.Source?.Digest, model.Spec.Source?.Digest);
    }

    /// <summary>
    /// The two annotations as they must be stored after <paramref name="attempt"/>. CREATE: the
    /// requester for both. UPDATE: the stored creator (null for a model stored before the webhook
    /// existed: nobody can know it any more), and the requester when the version changed, else
    /// the stored value.
    /// </summary>
    public static (string? CreatedBy, string? VersionSetBy) Expected(AdmissionAttempt<V1Alpha1MedicalModel> attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var requester = attempt.User.Username;
        if (attempt.Old is not { } old)
        {
            return (requester, requester);
        }
        return (CreatedBy(old), VersionChanged(old, attempt.Object) ? requester : VersionSetBy(old));
    }

    /// <summary>The <see cref="CreatedByAnnotation"/> as stored; null when absent.</summary>
    public static string? CreatedBy(V1Alpha1MedicalModel model) => Annotation(model, CreatedByAnnotation);

    /// <summary>The <see cref="VersionSetByAnnotation"/> as stored; null when absent.</summary>
    public static string? VersionSetBy(V1Alpha1MedicalModel model) => Annotation(model, VersionSetByAnnotation);

    private static string? Annotation(V1Alpha1MedicalModel model, string key)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Metadata?.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;
    }

    private static bool Same(string? a, string? b) => string.Equals(a ?? "", b ?? "", StringComparison.Ordinal);
}
