using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>A distributed, data-parallel training run that writes a model to a volume.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
[Description("TrainingJob runs distributed, data-parallel training: one pod per worker over a dataset volume, writing a model to an output volume, with whole-job restarts after a failure, and optionally registers the result as a MedicalModel.")]
[ShortName("tj")]
[ResourceCategory(GroupVersion.Category)]
[PrinterColumn("Workers", ".spec.workers", PrinterColumnType.Integer, "Number of workers")]
[PrinterColumn("Phase", ".status.phase", PrinterColumnType.String, "One-word state")]
[PrinterColumn("Restarts", ".status.restarts", PrinterColumnType.Integer, "Whole-job restarts so far")]
[PrinterColumn("Model", ".status.model", PrinterColumnType.String, "MedicalModel registered from the output")]
[PrinterColumn("Age", ".metadata.creationTimestamp", PrinterColumnType.Date, "Time since creation")]
public sealed class V1Alpha1TrainingJob : IKubernetesObject<V1ObjectMeta>, ISpec<V1Alpha1TrainingJobSpec>, IStatus<V1Alpha1TrainingJobStatus?>
{
    /// <summary>The API group.</summary>
    public const string KubeGroup = GroupVersion.Group;

    /// <summary>The API version within the group.</summary>
    public const string KubeApiVersion = GroupVersion.Version;

    /// <summary>The kind.</summary>
    public const string KubeKind = "TrainingJob";

    /// <summary>The resource name in URLs.</summary>
    public const string KubePluralName = "trainingjobs";

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
    [Description("Desired state of the training run.")]
    [Required]
    public V1Alpha1TrainingJobSpec Spec { get; set; } = new();

    /// <summary>The observed state; null until the operator first reconciles.</summary>
    [JsonPropertyName("status")]
    [Description("Observed state, written by the operator.")]
    public V1Alpha1TrainingJobStatus? Status { get; set; }
}
