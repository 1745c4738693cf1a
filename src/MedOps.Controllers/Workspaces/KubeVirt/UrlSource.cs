using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>A registry or HTTP source.</summary>
public sealed class UrlSource
{
    /// <summary><c>docker://image</c> or <c>https://…</c>.</summary>
    [JsonPropertyName("url")]
    public string? Url { get; set; }
}
