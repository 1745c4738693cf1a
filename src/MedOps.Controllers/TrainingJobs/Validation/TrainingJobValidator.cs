using System.Globalization;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.TrainingJobs.Validation;

/// <summary>
/// The checks of a TrainingJob that its CRD schema cannot make: a name that can name the
/// headless Service and every worker's hostname, and quantities that must be usable. Pure.
/// The admission webhook refuses a job with any of them; the reconciler reports the first.
/// </summary>
public static class TrainingJobValidator
{
    /// <summary>The first problem found, or null when the builders can work with the job.</summary>
    public static Problem? Validate(V1Alpha1TrainingJob job) => Problems(job).FirstOrDefault();

    /// <summary>Every problem: the name, the resources, then the scheduling of the workers and of the registered model.</summary>
    public static IEnumerable<Problem> Problems(V1Alpha1TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new[] { CheckName(job.Metadata?.Name, Math.Max(1, job.Spec.Workers)) }
            .OfType<Problem>()
            .Concat(ComputeResourcesValidation.Problems(job.Spec.Resources, "8", "32Gi"))
            .Concat(PodSchedulingValidation.Problems(job.Spec.NodeSelector, job.Spec.Tolerations))
            .Concat(PodSchedulingValidation.Problems(job.Spec.Model?.Template?.NodeSelector, job.Spec.Model?.Template?.Tolerations, "spec.model.template"));
    }

    private static Problem? CheckName(string? name, int workers)
    {
        if (!KubernetesNames.IsDns1035Label(name))
        {
            return new Problem(TrainingJobReasons.InvalidName,
                $"metadata.name \"{name}\" cannot name the job's headless Service: use lower-case letters, digits and '-', starting with a letter (no '.'), then recreate the TrainingJob under that name.", "metadata.name");
        }
        var longest = Builders.TrainingWorkers.PodName(name!, workers - 1);
        if (longest.Length > KubernetesNames.MaxLabelLength)
        {
            var room = KubernetesNames.MaxLabelLength - (longest.Length - name!.Length);
            return new Problem(TrainingJobReasons.InvalidName,
                string.Create(CultureInfo.InvariantCulture, $"the worker hostname \"{longest}\" is longer than {KubernetesNames.MaxLabelLength} characters: recreate the TrainingJob with a name of at most {room} characters."), "metadata.name");
        }
        return null;
    }
}
