using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs.Validation;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// Admission of TrainingJobs: the validator's shape rules, the dataset and output fixed at
/// creation (they are the job's lineage), and the guardrails: no lowering of the classification
/// without <c>declassify</c>, no registered model less sensitive than the job, and a PHI
/// job's output claim on an allowed (encrypted) StorageClass.
/// </summary>
public sealed class TrainingJobAdmission(GuardrailSettings settings, IAdmissionLookups lookups, IAccessReviewer reviewer)
    : AdmissionValidator<V1Alpha1TrainingJob>
{
    /// <inheritdoc />
    protected override async Task<AdmissionVerdict> ValidateAsync(AdmissionAttempt<V1Alpha1TrainingJob> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var job = attempt.Object;
        var spec = job.Spec;
        if (attempt.Old is { } old && AdmissionRules.SpecUnchanged(old.Spec, spec))
        {
            return AdmissionVerdict.Allow;
        }

        var violations = AdmissionRules.Violations(TrainingJobValidator.Problems(job)).ToList();
        var outputChanged = true;
        if (attempt.Old is { } previous)
        {
            violations.AddIfAny(await Declassification.CheckAsync(attempt.Request, previous.Spec.DataClassification, spec.DataClassification,
                V1Alpha1TrainingJob.KubePluralName, reviewer, cancellationToken).ConfigureAwait(false));
            if (!AdmissionRules.SpecUnchanged(previous.Spec.Dataset, spec.Dataset))
            {
                violations.Add(AdmissionRules.Immutable("spec.dataset", "it is the data the job's lineage records"));
            }
            outputChanged = !AdmissionRules.SpecUnchanged(previous.Spec.Output, spec.Output);
            if (outputChanged)
            {
                violations.Add(AdmissionRules.Immutable("spec.output", "it is where the job's model is, and what its registered model serves"));
            }
            outputChanged |= previous.Spec.DataClassification != spec.DataClassification;
        }

        if (spec.Model?.Template is { } template && Sensitivity.IsLowered(spec.DataClassification, template.DataClassification))
        {
            violations.Add(new FieldViolation("spec.model.template.dataClassification",
                $"spec.model.template.dataClassification: the job registers a {template.DataClassification} model, less sensitive than its own {spec.DataClassification}: a model keeps at least the classification of the data it was trained on; raise the template's dataClassification to {spec.DataClassification} or higher"));
        }

        if (outputChanged && spec.Output?.ClaimName is { Length: > 0 } claimName && attempt.Request.Namespace is { } ns
            && Shared.DataConfinement.IsConfined(spec.DataClassification))
        {
            violations.AddIfAny(await CheckOutputClaimAsync(ns, claimName, spec.DataClassification, cancellationToken).ConfigureAwait(false));
        }
        return AdmissionVerdict.From(violations);
    }

    private async Task<FieldViolation?> CheckOutputClaimAsync(string ns, string claimName, DataClassification classification, CancellationToken cancellationToken)
    {
        const string field = "spec.output.claimName";
        var claim = await lookups.GetClaimAsync(ns, claimName, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            return new FieldViolation(field,
                $"{field}: PersistentVolumeClaim \"{claimName}\" does not exist in namespace \"{ns}\": a {classification} job's output claim must exist before the job, so that its StorageClass can be checked against guardrails.phiStorageClasses; create the claim first");
        }
        return await PhiStorage.CheckAsync(field, $"output claim \"{claimName}\"", claim.Spec?.StorageClassName, classification, settings, lookups, cancellationToken)
            .ConfigureAwait(false);
    }
}
