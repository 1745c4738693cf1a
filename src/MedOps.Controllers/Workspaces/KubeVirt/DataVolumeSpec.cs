using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

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
