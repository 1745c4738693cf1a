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

    /// <summary>The Secret with the store's credentials, for the model-initializer only.</summary>
    [JsonPropertyName("credentialsSecretRef")]
    [Description("Secret with the credentials of the model's store, given to the model-initializer init container only (the server never sees it, and the operator never reads it): mounted read-only as its credentials folder (MODEL_CREDENTIALS_DIR: keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN for s3://; token, sent as a Bearer token, for https:// and gs://) and its keys as environment variables (S3_ENDPOINT and AWS_REGION for an S3-compatible store). A Secret that does not exist keeps the pod from starting (ContainerConfigError).")]
    public SecretReference? CredentialsSecretRef { get; set; }
}
