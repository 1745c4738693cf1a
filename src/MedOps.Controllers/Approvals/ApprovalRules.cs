using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Approvals;

/// <summary>
/// The two-person rule of Clinical models: what an approval covers, and who may give it. The
/// admission webhook applies these when an approval is created; the reconciler applies them
/// again before a version serves, because an approval may have been stored while the webhook
/// was not running.
/// </summary>
public static class ApprovalRules
{
    /// <summary>
    /// True when <paramref name="approval"/> is for the exact weights <paramref name="model"/>
    /// serves now: same namespace and model, same <c>spec.version</c> and same
    /// <c>spec.source.digest</c>. A model without a digest is covered by nothing.
    /// </summary>
    public static bool Covers(V1Alpha1ModelApproval approval, V1Alpha1MedicalModel model)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(model);
        return model.Spec.Source?.Digest is { Length: > 0 } digest
            && string.Equals(approval.Metadata?.NamespaceProperty, model.Metadata?.NamespaceProperty, StringComparison.Ordinal)
            && string.Equals(approval.Spec.ModelName, model.Metadata?.Name, StringComparison.Ordinal)
            && string.Equals(approval.Spec.Version, model.Spec.Version, StringComparison.Ordinal)
            && string.Equals(approval.Spec.Digest, digest, StringComparison.Ordinal);
    }

    /// <summary>
    /// Null when <paramref name="approver"/> is known and is neither the model's creator nor the
    /// person who set its current version; otherwise why the approval does not count. A model
    /// whose version setter is unknown cannot be approved: the approver might be that person.
    /// </summary>
    public static string? IndependenceProblem(string? approver, V1Alpha1MedicalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = model.Metadata?.Name;
        if (string.IsNullOrEmpty(approver))
        {
            return $"the approver of version {model.Spec.Version} of model {name} is not known: an approval must name the authenticated user who gave it";
        }
        var versionSetBy = ModelAuthorship.VersionSetBy(model);
        if (string.IsNullOrEmpty(versionSetBy))
        {
            return "the model's author is not recorded (it was stored without the MedOps webhook): change its version, source or digest through the MedOps webhook to record who set it";
        }
        if (string.Equals(approver, ModelAuthorship.CreatedBy(model), StringComparison.Ordinal))
        {
            return $"{approver} created model {name} and cannot approve its versions: a second person must";
        }
        if (string.Equals(approver, versionSetBy, StringComparison.Ordinal))
        {
            return $"{approver} set version {model.Spec.Version} of model {name} and cannot approve it: a second person must";
        }
        return null;
    }
}
