using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>Metadata of a DataVolume template.</summary>
public sealed class DataVolumeTemplateMetadata
{
    /// <summary>The DataVolume's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Labels copied onto the DataVolume.</summary>
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }
}
