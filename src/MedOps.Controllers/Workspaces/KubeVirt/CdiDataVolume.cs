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

/// <summary><c>DataVolume.spec</c>.</summary>
public sealed class DataVolumeSpec
{
    /// <summary>Where the content comes from.</summary>
    [JsonPropertyName("source")]
    public DataVolumeSource? Source { get; set; }

    /// <summary>The claim to create (size, StorageClass).</summary>
    [JsonPropertyName("storage")]
    public DataVolumeStorage? Storage { get; set; }
}

/// <summary>Exactly one source.</summary>
public sealed class DataVolumeSource
{
    /// <summary>Import from a container registry.</summary>
    [JsonPropertyName("registry")]
    public UrlSource? Registry { get; set; }

    /// <summary>Import from an HTTP(S) URL.</summary>
    [JsonPropertyName("http")]
    public UrlSource? Http { get; set; }

    /// <summary>Clone a claim.</summary>
    [JsonPropertyName("pvc")]
    public PvcSource? Pvc { get; set; }
}

/// <summary>A registry or HTTP source.</summary>
public sealed class UrlSource
{
    /// <summary><c>docker://image</c> or <c>https://…</c>.</summary>
    [JsonPropertyName("url")]
    public string? Url { get; set; }
}

/// <summary>A clone source.</summary>
public sealed class PvcSource
{
    /// <summary>The claim's namespace.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>The claim's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

/// <summary><c>spec.storage</c>: CDI picks access and volume modes from the StorageProfile.</summary>
public sealed class DataVolumeStorage
{
    /// <summary>Requests (storage).</summary>
    [JsonPropertyName("resources")]
    public DataVolumeResources? Resources { get; set; }

    /// <summary>The StorageClass; omitted for the cluster default.</summary>
    [JsonPropertyName("storageClassName")]
    public string? StorageClassName { get; set; }
}

/// <summary>Storage requests.</summary>
public sealed class DataVolumeResources
{
    /// <summary>Quantities by resource name (<c>storage</c>).</summary>
    [JsonPropertyName("requests")]
    public IDictionary<string, string>? Requests { get; set; }
}

/// <summary><c>DataVolume.status</c>.</summary>
public sealed class DataVolumeStatus
{
    /// <summary><c>Pending</c>, <c>ImportScheduled</c>, <c>ImportInProgress</c>, <c>CloneScheduled</c>, <c>CloneInProgress</c>, <c>WaitForFirstConsumer</c>, <c>Succeeded</c>, <c>Failed</c>, ….</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>Progress such as <c>50.0%</c> or <c>N/A</c>.</summary>
    [JsonPropertyName("progress")]
    public string? Progress { get; set; }

    /// <summary>Conditions (Bound, Running, Ready).</summary>
    [JsonPropertyName("conditions")]
    public IList<KubeVirtCondition>? Conditions { get; set; }
}
