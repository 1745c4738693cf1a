using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>
/// KubeVirt's <c>VirtualMachine</c> (<c>kubevirt.io/v1</c>), reduced to what MedOps writes and
/// reads. KubernetesClient has no models for KubeVirt; unknown fields the server or KubeVirt add
/// are simply not read. Null members are never sent (the 1.20 apiserver refuses empty strings in
/// custom resources, so optional text is left null, not <c>""</c>).
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class KubeVirtVirtualMachine : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The API group.</summary>
    public const string KubeGroup = "kubevirt.io";

    /// <summary>The API version.</summary>
    public const string KubeApiVersion = "v1";

    /// <summary>The kind.</summary>
    public const string KubeKind = "VirtualMachine";

    /// <summary>The resource name in URLs.</summary>
    public const string KubePluralName = "virtualmachines";

    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{KubeGroup}/{KubeApiVersion}";

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The desired state.</summary>
    [JsonPropertyName("spec")]
    public VirtualMachineSpec? Spec { get; set; }

    /// <summary>What virt-controller reports.</summary>
    [JsonPropertyName("status")]
    public VirtualMachineStatus? Status { get; set; }
}
