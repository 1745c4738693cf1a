using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>A trained model served for inference on GPU or CPU pods.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
[Description("MedicalModel serves a trained clinical model for inference: a Deployment of the runtime image with the model mounted at /mnt/models, a Service, and optionally an autoscaler, a PodDisruptionBudget and a NetworkPolicy for PHI.")]
[ShortName("mm")]
[ResourceCategory(GroupVersion.Category)]
[PrinterColumn("Modality", ".spec.modality", PrinterColumnType.String, "Kind of clinical input")]
[PrinterColumn("Version", ".spec.version", PrinterColumnType.String, "Model version")]
[PrinterColumn("Phase", ".status.phase", PrinterColumnType.String, "One-word state")]
[PrinterColumn("Ready", ".status.readyReplicas", PrinterColumnType.Integer, "Ready server replicas")]
[PrinterColumn("Approved", ".status.approval.approved.version", PrinterColumnType.String, "Clinical models: the approved version that serves", Priority = 1)]
[PrinterColumn("Digest", ".status.modelDigest", PrinterColumnType.String, "Digest of the served model, as its initializer verified it", Priority = 1)]
[PrinterColumn("Endpoint", ".status.endpoint", PrinterColumnType.String, "In-cluster URL of the inference service", Priority = 1)]
[PrinterColumn("Age", ".metadata.creationTimestamp", PrinterColumnType.Date, "Time since creation")]
public sealed class V1Alpha1MedicalModel : IKubernetesObject<V1ObjectMeta>, ISpec<V1Alpha1MedicalModelSpec>, IStatus<V1Alpha1MedicalModelStatus?>
{
    /// <summary>The API group.</summary>
    public const string KubeGroup = GroupVersion.Group;

    /// <summary>The API version within the group.</summary>
    public const string KubeApiVersion = GroupVersion.Version;

    /// <summary>The kind.</summary>
    public const string KubeKind = "MedicalModel";

    /// <summary>The resource name in URLs.</summary>
    public const string KubePluralName = "medicalmodels";

    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    [Description(SchemaText.ApiVersion)]
    public string ApiVersion { get; set; } = GroupVersion.ApiVersion;

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    [Description(SchemaText.Kind)]
    public string Kind { get; set; } = KubeKind;

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The desired state.</summary>
    [JsonPropertyName("spec")]
    [Description("Desired state of the model server.")]
    [Required]
    public V1Alpha1MedicalModelSpec Spec { get; set; } = new();

    /// <summary>The observed state; null until the operator first reconciles.</summary>
    [JsonPropertyName("status")]
    [Description("Observed state, written by the operator.")]
    public V1Alpha1MedicalModelStatus? Status { get; set; }
}
