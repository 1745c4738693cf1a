using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>
/// A person's approval of one version of a MedicalModel for clinical use, bound to the exact
/// weights by digest. Immutable; deleting it revokes it.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
[Description("ModelApproval records that a second person approved one version of a Clinical MedicalModel, bound to its digest. The approver is the authenticated user who created it (set by the admission webhook), who must differ from whoever created the model or last changed its version, source or digest. Approvals cannot be changed; deleting one revokes it, and a model serving that version stops.")]
[ShortName("mmapproval")]
[ResourceCategory(GroupVersion.Category)]
[PrinterColumn("Model", ".spec.modelName", PrinterColumnType.String, "The approved MedicalModel")]
[PrinterColumn("Version", ".spec.version", PrinterColumnType.String, "The approved version")]
[PrinterColumn("Digest", ".spec.digest", PrinterColumnType.String, "The approved weights' digest")]
[PrinterColumn("Approver", ".spec.approver", PrinterColumnType.String, "Who approved (the authenticated user)")]
[PrinterColumn("Age", ".metadata.creationTimestamp", PrinterColumnType.Date, "Time since approval")]
public sealed class V1Alpha1ModelApproval : IKubernetesObject<V1ObjectMeta>, ISpec<V1Alpha1ModelApprovalSpec>
{
    /// <summary>The API group.</summary>
    public const string KubeGroup = GroupVersion.Group;

    /// <summary>The API version within the group.</summary>
    public const string KubeApiVersion = GroupVersion.Version;

    /// <summary>The kind.</summary>
    public const string KubeKind = "ModelApproval";

    /// <summary>The resource name in URLs.</summary>
    public const string KubePluralName = "modelapprovals";

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

    /// <summary>What is approved.</summary>
    [JsonPropertyName("spec")]
    [Description("The model version approved, and by whom. Immutable.")]
    [Required]
    public V1Alpha1ModelApprovalSpec Spec { get; set; } = new();
}
