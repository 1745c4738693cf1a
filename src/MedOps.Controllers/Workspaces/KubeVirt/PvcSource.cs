using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

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
