using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>A volume backed by a DataVolume.</summary>
public sealed class DataVolumeVolumeSource
{
    /// <summary>The DataVolume's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}
