using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>
/// Where the model artefact comes from: exactly one of <see cref="Uri"/> and
/// <see cref="TrainingJobRef"/> (checked by the controller: Kubernetes 1.20 CRDs cannot say it).
/// </summary>
public sealed class ModelSource
{
    /// <summary>The artefact's location.</summary>
    [JsonPropertyName("uri")]
    [Description("Location of the model: pvc://<claim>/<path> (a PersistentVolumeClaim in the same namespace, mounted read-only), s3://, gs:// or https://. Exactly one of uri and trainingJobRef.")]
    [Pattern(ValidationPatterns.ModelUri)]
    public string? Uri { get; set; }

    /// <summary>The TrainingJob whose output is the model.</summary>
    [JsonPropertyName("trainingJobRef")]
    [Description("TrainingJob whose output is this model: its status.outputUri is used once it has succeeded; until then the model stays Pending. Exactly one of uri and trainingJobRef.")]
    public TrainingJobReference? TrainingJobRef { get; set; }

    /// <summary>An integrity pin for the artefact.</summary>
    [JsonPropertyName("digest")]
    [Description("Integrity pin, sha256:<64 lower-case hex digits>: an init container verifies the model files against it before the server starts, also for pvc:// sources.")]
    [Pattern(ValidationPatterns.Sha256Digest)]
    public string? Digest { get; set; }
}
