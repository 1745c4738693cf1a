using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Validation;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// Admission of MedicalModels: the validator's shape rules, then the guardrails: no lowering
/// of the classification without <c>declassify</c>, PHI sources only from the allowed prefixes,
/// and no model less sensitive than the TrainingJob whose output it serves.
/// </summary>
public sealed class MedicalModelAdmission(GuardrailSettings settings, IAdmissionLookups lookups, IAccessReviewer reviewer)
    : AdmissionValidator<V1Alpha1MedicalModel>
{
    /// <inheritdoc />
    protected override async Task<AdmissionVerdict> ValidateAsync(AdmissionAttempt<V1Alpha1MedicalModel> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var model = attempt.Object;
        if (attempt.Old is { } old && AdmissionRules.SpecUnchanged(old.Spec, model.Spec))
        {
            return AdmissionVerdict.Allow;
        }

        var violations = AdmissionRules.Violations(MedicalModelValidator.Problems(model)).ToList();
        var classification = model.Spec.DataClassification;
        if (attempt.Old is { } previous)
        {
            violations.AddIfAny(await Declassification.CheckAsync(attempt.Request, previous.Spec.DataClassification, classification,
                V1Alpha1MedicalModel.KubePluralName, reviewer, cancellationToken).ConfigureAwait(false));
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
}
