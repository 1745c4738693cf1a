using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>A virtual machine for one clinician or researcher, backed by KubeVirt.</summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
[Description("Workspace is a virtual machine for one clinician or researcher, with the CPU, memory and disk asked for, started and stopped from the spec; backed by a KubeVirt VirtualMachine and a CDI DataVolume.")]
[ShortName("ws")]
[ResourceCategory(GroupVersion.Category)]
[PrinterColumn("Owner", ".spec.owner", PrinterColumnType.String, "Person the workspace belongs to")]
[PrinterColumn("CPU", ".spec.cpu", PrinterColumnType.Integer, "Virtual CPU cores")]
[PrinterColumn("Memory", ".spec.memory", PrinterColumnType.String, "Guest memory")]
[PrinterColumn("Disk", ".spec.disk.size", PrinterColumnType.String, "Root disk size")]
[PrinterColumn("Running", ".spec.running", PrinterColumnType.Boolean, "Whether the virtual machine should run")]
[PrinterColumn("Phase", ".status.phase", PrinterColumnType.String, "One-word state")]
[PrinterColumn("Last activity", ".status.lastActivityTime", PrinterColumnType.Date, "When someone was last logged in to the guest (workspaces with an idle timeout)")]
[PrinterColumn("Age", ".metadata.creationTimestamp", PrinterColumnType.Date, "Time since creation")]
public sealed class V1Alpha1Workspace : IKubernetesObject<V1ObjectMeta>, ISpec<V1Alpha1WorkspaceSpec>, IStatus<V1Alpha1WorkspaceStatus?>
{
    /// <summary>The API group.</summary>
    public const string KubeGroup = GroupVersion.Group;

    /// <summary>The API version within the group.</summary>
    public const string KubeApiVersion = GroupVersion.Version;

    /// <summary>The kind.</summary>
    public const string KubeKind = "Workspace";

    /// <summary>The resource name in URLs.</summary>
    public const string KubePluralName = "workspaces";

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
    [Description("Desired state of the workspace.")]
    [Required]
    public V1Alpha1WorkspaceSpec Spec { get; set; } = new();

    /// <summary>The observed state; null until the operator first reconciles.</summary>
    [JsonPropertyName("status")]
    [Description("Observed state, written by the operator.")]
    public V1Alpha1WorkspaceStatus? Status { get; set; }
}
