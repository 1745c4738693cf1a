using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Approvals;
using MedOps.Controllers.MedicalModels.Validation;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// Admission of MedicalModels: the authorship annotations exactly as MedOps records them, the
/// validator's shape rules, then the guardrails: no lowering of the classification or of a
/// Clinical usage without <c>declassify</c>, a Clinical model pinned by digest, PHI sources only
/// from the allowed prefixes, and no model less sensitive than the TrainingJob whose output it
/// serves.
/// </summary>
public sealed class MedicalModelAdmission(GuardrailSettings settings, IAdmissionLookups lookups, IAccessReviewer reviewer)
    : AdmissionValidator<V1Alpha1MedicalModel>
{
    /// <inheritdoc />
    protected override async Task<AdmissionVerdict> ValidateAsync(AdmissionAttempt<V1Alpha1MedicalModel> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var model = attempt.Object;
        // Before the unchanged-spec shortcut: a forged author changes only metadata.
        var authorship = Authorship(attempt).ToList();
        if (attempt.Old is { } old && AdmissionRules.SpecUnchanged(old.Spec, model.Spec))
        {
            return AdmissionVerdict.From(authorship);
        }

        var violations = AdmissionRules.Violations(MedicalModelValidator.Problems(model)).ToList();
        violations.AddRange(authorship);
        var classification = model.Spec.DataClassification;
        if (attempt.Old is { } previous)
        {
            violations.AddIfAny(await Declassification.CheckAsync(attempt.Request, previous.Spec.DataClassification, classification,
                V1Alpha1MedicalModel.KubePluralName, reviewer, cancellationToken).ConfigureAwait(false));
            violations.AddIfAny(await Declassification.CheckUsageAsync(attempt.Request, previous.Spec.Usage, model.Spec.Usage,
                reviewer, cancellationToken).ConfigureAwait(false));
        }
        if (model.Spec.Usage == ModelUsage.Clinical && string.IsNullOrEmpty(model.Spec.Source?.Digest))
        {
            violations.Add(new FieldViolation("spec.source.digest",
                "spec.source.digest: a Clinical model must pin its weights with spec.source.digest: there is nothing to approve otherwise"));
        }
        violations.AddIfAny(PhiSources.Check("spec.source.uri", model.Spec.Source?.Uri, classification, settings));
        if (model.Spec.Source?.TrainingJobRef?.Name is { Length: > 0 } jobName && attempt.Request.Namespace is { } ns)
        {
            var job = await lookups.GetTrainingJobAsync(ns, jobName, cancellationToken).ConfigureAwait(false);
            if (job is not null && Sensitivity.IsLowered(job.Spec.DataClassification, classification))
            {
                violations.Add(new FieldViolation(Declassification.Field,
                    $"{Declassification.Field}: {classification} is less sensitive than the {job.Spec.DataClassification} of TrainingJob \"{jobName}\", whose output this model serves: a model keeps at least the classification of the data it was trained on"));
            }
        }
        return AdmissionVerdict.From(violations);
    }

    // The mutating webhook writes both annotations, so a value other than MedOps' own is forged,
    // or the mutating webhook did not run; either way the approvals would rest on a lie.
    private static IEnumerable<FieldViolation> Authorship(AdmissionAttempt<V1Alpha1MedicalModel> attempt)
    {
        var (createdBy, versionSetBy) = ModelAuthorship.Expected(attempt);
        var recorded = new[]
        {
            (Key: ModelAuthorship.CreatedByAnnotation, Expected: createdBy, Actual: ModelAuthorship.CreatedBy(attempt.Object)),
            (Key: ModelAuthorship.VersionSetByAnnotation, Expected: versionSetBy, Actual: ModelAuthorship.VersionSetBy(attempt.Object)),
        };
        foreach (var (key, expected, actual) in recorded.Where(r => !string.Equals(r.Expected, r.Actual, StringComparison.Ordinal)))
        {
            var field = $"metadata.annotations[{key}]";
            yield return new FieldViolation(field, actual is null
                ? $"{field} is set by MedOps from the authenticated user, and is missing: the MedOps mutating webhook did not run; ask the cluster administrator to check that it is installed"
                : $"{field} is set by MedOps from the authenticated user; remove it from your manifest (it says \"{actual}\")",
                Forbidden: true);
        }
    }
}
