using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MedOps.Api.V1Alpha1;

/// <summary>A list of ModelApprovals, as the API server returns it.</summary>
public sealed class V1Alpha1ModelApprovalList : IKubernetesObject<V1ListMeta>, IItems<V1Alpha1ModelApproval>
{
    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GroupVersion.ApiVersion;

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = V1Alpha1ModelApproval.KubeKind + "List";

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    /// <inheritdoc />
    [JsonPropertyName("items")]
    public IList<V1Alpha1ModelApproval> Items { get; set; } = [];
}
