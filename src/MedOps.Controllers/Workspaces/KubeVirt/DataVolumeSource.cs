using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

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
