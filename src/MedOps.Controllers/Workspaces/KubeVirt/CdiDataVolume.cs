using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>
/// CDI's <c>DataVolume</c> (<c>cdi.kubevirt.io/v1beta1</c>), reduced to what MedOps writes (in a
/// VM's <c>dataVolumeTemplates</c>) and reads (the existing disk's size and import phase).
/// MedOps never creates one directly: KubeVirt creates it from the VM and owns it.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class CdiDataVolume : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The API group.</summary>
    public const string KubeGroup = "cdi.kubevirt.io";

    /// <summary>The API version.</summary>
    public const string KubeApiVersion = "v1beta1";

    /// <summary>The kind.</summary>
    public const string KubeKind = "DataVolume";

    /// <summary>The resource name in URLs.</summary>
    public const string KubePluralName = "datavolumes";

    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{KubeGroup}/{KubeApiVersion}";

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The desired disk.</summary>
    [JsonPropertyName("spec")]
    public DataVolumeSpec? Spec { get; set; }

    /// <summary>What CDI reports.</summary>
    [JsonPropertyName("status")]
    public DataVolumeStatus? Status { get; set; }
}
