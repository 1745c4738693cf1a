using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.TrainingJobs.Builders;

/// <summary>
/// The MedicalModel that a succeeded job registers from <c>spec.model</c>: the template's spec,
/// with the source pointing at the job and pinned to the job's <c>status.outputDigest</c>,
/// labelled <c>medops.io/trained-by: &lt;job&gt;</c>.
/// </summary>
public static class ModelRegistrationBuilder
{
    /// <summary>
    /// Builds the object to server-side apply, or null when the job registers no model. It has
    /// NO owner reference: a model outlives the job that trained it (the job may be deleted by
    /// its TTL). The source names the job by <c>trainingJobRef</c> only: the MedicalModel
    /// contract allows exactly one of <c>uri</c> and <c>trainingJobRef</c> (a model with both is
    /// Stalled with <c>InvalidSource</c>), and the model controller resolves the reference to
    /// this job's <c>status.outputUri</c>, recording the lineage. Setting only the URI would lose
    /// the lineage; the reference carries both. <c>source.digest</c> is the job's
    /// <c>status.outputDigest</c> (omitted when unknown): the model's pods verify that the files
    /// they serve are the ones the job wrote, even after the job is gone.
    /// </summary>
    public static V1Alpha1MedicalModel? Build(V1Alpha1TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Spec.Model is not { } registration)
        {
            return null;
        }
        // A round trip through JSON copies every template field, including ones added later.
        var spec = KubernetesJson.Deserialize<V1Alpha1MedicalModelSpec>(KubernetesJson.Serialize(registration.Template));
        spec.Source = new ModelSource
        {
            TrainingJobRef = new TrainingJobReference { Name = job.Metadata.Name },
            Digest = string.IsNullOrEmpty(job.Status?.OutputDigest) ? null : job.Status.OutputDigest,
        };
        return new V1Alpha1MedicalModel
        {
            ApiVersion = GroupVersion.ApiVersion,
            Kind = V1Alpha1MedicalModel.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = registration.Name,
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [TrainingWorkers.TrainedByLabel] = job.Metadata.Name,
                },
            },
            Spec = spec,
        };
    }
}
