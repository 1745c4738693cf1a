using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.MedicalModels.Validation;

/// <summary>
/// The checks of a MedicalModel that its CRD schema cannot make (Kubernetes 1.20 has no CEL):
/// cross-field rules, the model URI's structure, quantities that must be usable, and a name that
/// can also name the Service. Pure: the same spec gives the same answer, so the reconciler can
/// report <c>Stalled</c> and wait for the next spec change instead of retrying.
/// </summary>
public static class MedicalModelValidator
{
    /// <summary>
    /// The first problem found, or null when the builders can work with the model. Checked in
    /// this order: name, source, model URI, autoscaling, resources.
    /// </summary>
    public static ValidationProblem? Validate(V1Alpha1MedicalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return CheckName(model.Metadata?.Name)
            ?? CheckSource(model.Spec.Source)
            ?? CheckAutoscaling(model.Spec.Autoscaling)
            ?? CheckResources(model.Spec.Resources);
    }

    private static ValidationProblem? CheckName(string? name) =>
        KubernetesNames.IsDns1035Label(name)
            ? null
            : new ValidationProblem(
                MedicalModelValidationReasons.InvalidName,
                $"metadata.name \"{name}\" cannot name the model's Service: use at most {KubernetesNames.MaxLabelLength} lower-case letters, digits and '-', starting with a letter and ending with a letter or digit (no '.'), then recreate the MedicalModel under that name.");

    private static ValidationProblem? CheckSource(ModelSource? source)
    {
        var hasUri = !string.IsNullOrEmpty(source?.Uri);
        var hasJob = source?.TrainingJobRef is not null;
        if (hasUri == hasJob)
        {
            var which = hasUri ? "both are set: remove one of them" : "neither is set: add one of them";
            return new ValidationProblem(
                MedicalModelValidationReasons.InvalidSource,
                $"Set exactly one of spec.source.uri and spec.source.trainingJobRef; {which}.");
        }
        if (hasUri && !ModelUri.TryParse(source!.Uri, out _, out var error))
        {
            return new ValidationProblem(MedicalModelValidationReasons.InvalidModelUri, $"spec.source.uri: {error}.");
        }
        return null;
    }

    private static ValidationProblem? CheckAutoscaling(ModelAutoscaling? autoscaling) =>
        autoscaling is not null && autoscaling.MinReplicas > autoscaling.MaxReplicas
            ? new ValidationProblem(
                MedicalModelValidationReasons.InvalidAutoscaling,
                $"spec.autoscaling.minReplicas ({autoscaling.MinReplicas}) is greater than spec.autoscaling.maxReplicas ({autoscaling.MaxReplicas}): lower minReplicas or raise maxReplicas.")
            : null;

    private static ValidationProblem? CheckResources(ComputeResources? resources)
    {
        if (resources is null)
        {
            return Resources("spec.resources is missing: set cpu and memory, for example cpu: \"4\" and memory: 16Gi.");
        }
        var problem = CheckQuantity("spec.resources.cpu", resources.Cpu, "4, \"500m\" or \"1.5\"")
            ?? CheckQuantity("spec.resources.memory", resources.Memory, "16Gi or 512Mi");
        if (problem is not null)
        {
            return problem;
        }
        var minMemory = resources.Gpu?.MinMemory;
        if (minMemory is not null && !GpuPlacement.TryGetMinMemoryMiB(minMemory, out _, out var error))
        {
            return Resources($"spec.resources.gpu.minMemory {error}: write the least memory one GPU needs, such as 40Gi or 81920Mi, or remove the field.");
        }
        return null;
    }

    private static ValidationProblem? CheckQuantity(string field, string? text, string examples)
    {
        if (!KubernetesQuantity.TryParse(text, out _, out var value))
        {
            return Resources($"{field} \"{text}\" is not a Kubernetes quantity: write a number with an optional suffix, such as {examples}.");
        }
        return value < 0
            ? Resources($"{field} \"{text}\" is negative: write a positive quantity, such as {examples}.")
            : null;
    }

    private static ValidationProblem Resources(string message) => new(MedicalModelValidationReasons.InvalidResources, message);
}
