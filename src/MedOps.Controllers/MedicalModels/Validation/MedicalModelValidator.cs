using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.MedicalModels.Validation;

/// <summary>
/// The checks of a MedicalModel that its CRD schema cannot make (Kubernetes 1.20 has no CEL):
/// cross-field rules, the model URI's structure, quantities that must be usable, and a name that
/// can also name the Service. Pure: the same spec gives the same answer. The admission webhook
/// refuses a model with any of these problems; the reconciler reports the first as
/// <c>Stalled</c> for models stored without the webhook.
/// </summary>
public static class MedicalModelValidator
{
    /// <summary>The first problem found, or null when the builders can work with the model.</summary>
    public static Problem? Validate(V1Alpha1MedicalModel model) => Problems(model).FirstOrDefault();

    /// <summary>Every problem, in this order: name, source, model URI, autoscaling, resources, scheduling.</summary>
    public static IEnumerable<Problem> Problems(V1Alpha1MedicalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new[] { CheckName(model.Metadata?.Name), CheckSource(model.Spec.Source), CheckAutoscaling(model.Spec.Autoscaling) }
            .OfType<Problem>()
            .Concat(ComputeResourcesValidation.Problems(model.Spec.Resources, "4", "16Gi"))
            .Concat(PodSchedulingValidation.Problems(model.Spec.NodeSelector, model.Spec.Tolerations));
    }

    private static Problem? CheckName(string? name) =>
        KubernetesNames.IsDns1035Label(name)
            ? null
            : new Problem(
                MedicalModelReasons.InvalidName,
                $"metadata.name \"{name}\" cannot name the model's Service: use at most {KubernetesNames.MaxLabelLength} lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (no '.'), then recreate the MedicalModel under that name.",
                "metadata.name");

    private static Problem? CheckSource(ModelSource? source)
    {
        var hasUri = !string.IsNullOrEmpty(source?.Uri);
        var hasJob = source?.TrainingJobRef is not null;
        if (hasUri == hasJob)
        {
            var which = hasUri ? "both are set: remove one of them" : "neither is set: add one of them";
            return new Problem(
                MedicalModelReasons.InvalidSource,
                $"spec.source: set exactly one of spec.source.uri and spec.source.trainingJobRef; {which}.",
                "spec.source");
        }
        if (hasUri && !ModelUri.TryParse(source!.Uri, out _, out var error))
        {
            return new Problem(MedicalModelReasons.InvalidModelUri, $"spec.source.uri: {error}.", "spec.source.uri");
        }
        return null;
    }

    private static Problem? CheckAutoscaling(ModelAutoscaling? autoscaling) =>
        autoscaling is not null && autoscaling.MinReplicas > autoscaling.MaxReplicas
            ? new Problem(
                MedicalModelReasons.InvalidAutoscaling,
                $"spec.autoscaling.minReplicas ({autoscaling.MinReplicas}) is greater than spec.autoscaling.maxReplicas ({autoscaling.MaxReplicas}): lower minReplicas or raise maxReplicas.",
                "spec.autoscaling.minReplicas")
            : null;
}
