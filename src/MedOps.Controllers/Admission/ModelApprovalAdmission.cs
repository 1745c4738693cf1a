using System.Text.RegularExpressions;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Approvals;
using MedOps.Controllers.Shared;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// Admission of ModelApprovals, the second person of the two-person rule. CREATE: a well-formed
/// approval, given by the authenticated user it names, of the version and digest the model has
/// now, by someone RBAC lets <c>approve</c> that model and who neither created it nor set its
/// version. UPDATE: only metadata may change. DELETE: always allowed, it is the revocation.
/// </summary>
public sealed partial class ModelApprovalAdmission(IAdmissionLookups lookups, IAccessReviewer reviewer)
    : AdmissionValidator<V1Alpha1ModelApproval>
{
    /// <summary>The RBAC verb on <c>medicalmodels</c> (by name) that lets a user approve a model's versions.</summary>
    public const string Verb = "approve";

    /// <summary>The ClusterRole the chart ships with the <see cref="Verb"/> permission.</summary>
    public const string ApproverRole = "medops-approver";

    /// <inheritdoc />
    protected override async Task<AdmissionVerdict> ValidateAsync(AdmissionAttempt<V1Alpha1ModelApproval> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.Old is { } old)
        {
            return AdmissionVerdict.From(Changes(old.Spec, attempt.Object.Spec));
        }

        var spec = attempt.Object.Spec;
        var requester = attempt.User.Username;
        var violations = Shape(spec).ToList();
        if (!string.Equals(spec.Approver, requester, StringComparison.Ordinal))
        {
            // Defence in depth: the mutating webhook sets it, so this only happens without it.
            violations.Add(new FieldViolation("spec.approver", spec.Approver is null
                ? "spec.approver is set by MedOps from the authenticated user, and is missing: the MedOps mutating webhook did not run, and approvals cannot be given until it does; ask the cluster administrator to check that it is installed"
                : $"spec.approver is set by MedOps from the authenticated user, so it must be \"{requester}\" (who asks), not \"{spec.Approver}\": leave it out of your manifest",
                Forbidden: true));
        }

        var ns = attempt.Request.Namespace ?? attempt.Object.Metadata.NamespaceProperty;
        if (!KubernetesNames.IsDns1123Subdomain(spec.ModelName) || ns is null)
        {
            return AdmissionVerdict.From(violations);
        }
        var model = await lookups.GetModelAsync(ns, spec.ModelName, cancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            violations.Add(new FieldViolation("spec.modelName",
                $"spec.modelName: MedicalModel \"{spec.ModelName}\" does not exist in namespace \"{ns}\": an approval is of a model's current version, so the model must exist first"));
        }
        else
        {
            violations.AddRange(Mismatches(spec, model));
        }
        if (!await AdmissionRules.MayAsync(attempt.Request, Verb, V1Alpha1MedicalModel.KubePluralName, spec.ModelName, reviewer, cancellationToken).ConfigureAwait(false))
        {
            violations.Add(new FieldViolation("spec.modelName",
                $"spec.modelName: approving MedicalModel \"{spec.ModelName}\" needs the \"{Verb}\" permission on {V1Alpha1MedicalModel.KubePluralName}.{GroupVersion.Group}, which {requester} does not have; ask an administrator to bind the MedOps approver ClusterRole (<release>-approver, {ApproverRole} for a release named medops) to the clinical reviewers",
                Forbidden: true));
        }
        if (model is not null && ApprovalRules.IndependenceProblem(requester, model) is { } problem)
        {
            violations.Add(new FieldViolation("spec.approver", $"spec.approver: {problem}", Forbidden: true));
        }
        return AdmissionVerdict.From(violations);
    }

    private static IEnumerable<FieldViolation> Shape(V1Alpha1ModelApprovalSpec spec)
    {
        if (!KubernetesNames.IsDns1123Subdomain(spec.ModelName))
        {
            yield return new FieldViolation("spec.modelName",
                $"spec.modelName \"{spec.ModelName}\" is not the name of a MedicalModel: use at most {KubernetesNames.MaxSubdomainLength} lower-case letters, digits, '-' and '.'");
        }
        if (string.IsNullOrEmpty(spec.Version))
        {
            yield return new FieldViolation("spec.version", "spec.version: name the model's spec.version that you approve");
        }
        if (!Sha256Digest().IsMatch(spec.Digest ?? ""))
        {
            yield return new FieldViolation("spec.digest",
                $"spec.digest \"{spec.Digest}\" is not a digest: write the model's spec.source.digest, sha256: and 64 lower-case hex digits");
        }
    }

    // You approve what is there: an approval of another version or other weights would let a
    // later edit of the model inherit it.
    private static IEnumerable<FieldViolation> Mismatches(V1Alpha1ModelApprovalSpec spec, V1Alpha1MedicalModel model)
    {
        if (!string.IsNullOrEmpty(spec.Version) && !string.Equals(spec.Version, model.Spec.Version, StringComparison.Ordinal))
        {
            yield return new FieldViolation("spec.version",
                $"spec.version: MedicalModel \"{model.Metadata.Name}\" is at version \"{model.Spec.Version}\", not \"{spec.Version}\": you approve the version the model has now");
        }
        var digest = model.Spec.Source?.Digest;
        if (string.IsNullOrEmpty(digest))
        {
            yield return new FieldViolation("spec.digest",
                $"spec.digest: MedicalModel \"{model.Metadata.Name}\" pins no weights (spec.source.digest is not set), so there is nothing to approve: its owner must set the digest first");
        }
        else if (Sha256Digest().IsMatch(spec.Digest ?? "") && !string.Equals(spec.Digest, digest, StringComparison.Ordinal))
        {
            yield return new FieldViolation("spec.digest",
                $"spec.digest: MedicalModel \"{model.Metadata.Name}\" pins the weights {digest}, not {spec.Digest}: you approve the weights the model has now");
        }
    }

    // Metadata (labels, annotations, finalizers) may change; what was approved may not.
    private static IEnumerable<FieldViolation> Changes(V1Alpha1ModelApprovalSpec old, V1Alpha1ModelApprovalSpec next)
    {
        const string why = "approvals are immutable: delete this approval (which revokes it) and create a new one";
        var fields = new (string Field, string? Old, string? Next)[]
        {
            ("spec.modelName", old.ModelName, next.ModelName),
            ("spec.version", old.Version, next.Version),
            ("spec.digest", old.Digest, next.Digest),
            ("spec.approver", old.Approver, next.Approver),
            ("spec.comment", old.Comment, next.Comment),
        };
        if (AdmissionRules.SpecUnchanged(old, next))
        {
            return [];
        }
        var changed = fields
            .Where(f => !string.Equals(f.Old ?? "", f.Next ?? "", StringComparison.Ordinal))
            .Select(f => new FieldViolation(f.Field, $"{f.Field} cannot be changed: {why}"))
            .ToList();
        // A field this list does not name (one added to the kind later) is refused all the same.
        return changed.Count > 0 ? changed : [new FieldViolation("spec", $"spec cannot be changed: {why}")];
    }

    // The CRD schema's digest pattern (MedOps.Api's ValidationPatterns.Sha256Digest), with \z:
    // .NET's $ would also accept a trailing newline.
    [GeneratedRegex("^sha256:[a-f0-9]{64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Digest();
}
