using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

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
