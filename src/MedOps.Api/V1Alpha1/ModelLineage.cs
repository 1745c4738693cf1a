using System.ComponentModel;
using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>Where a served model came from, as far as the operator knows.</summary>
public sealed class ModelLineage
{
    /// <summary>The TrainingJob that produced the model.</summary>
    [JsonPropertyName("trainingJob")]
    [Description("Name of the TrainingJob that produced the model.")]
    public string? TrainingJob { get; set; }

    /// <summary>The dataset claim it was trained on.</summary>
    [JsonPropertyName("datasetClaim")]
    [Description("PersistentVolumeClaim of the dataset the model was trained on (the TrainingJob's spec.dataset.claimName).")]
    public string? DatasetClaim { get; set; }

    /// <summary>The job's output location the model was taken from.</summary>
    [JsonPropertyName("outputUri")]
    [Description("The TrainingJob's status.outputUri that the model is served from. Kept after the job is deleted (for example by its ttlSecondsAfterFinished), so the model keeps serving the same files.")]
    public string? OutputUri { get; set; }

    /// <summary>The job's output digest when the model was resolved from it.</summary>
    [JsonPropertyName("digest")]
    [Description("The TrainingJob's status.outputDigest: the digest of the job's output, computed in the cluster when the job finished. The model's pods verify the files against source.digest, or against this digest when source.digest is unset. Kept after the job is deleted.")]
    public string? Digest { get; set; }
}
