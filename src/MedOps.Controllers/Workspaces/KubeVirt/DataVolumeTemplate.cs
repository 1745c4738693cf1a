using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>An entry of <c>spec.dataVolumeTemplates</c>.</summary>
public sealed class DataVolumeTemplate
{
    /// <summary>Name and labels of the DataVolume KubeVirt creates.</summary>
    [JsonPropertyName("metadata")]
    public DataVolumeTemplateMetadata? Metadata { get; set; }

    /// <summary>The DataVolume spec.</summary>
    [JsonPropertyName("spec")]
    public DataVolumeSpec? Spec { get; set; }
}
