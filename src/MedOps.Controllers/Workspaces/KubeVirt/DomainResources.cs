using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary><c>domain.resources</c>.</summary>
public sealed class DomainResources
{
    /// <summary>Requests, quantities by resource name.</summary>
    [JsonPropertyName("requests")]
    public IDictionary<string, string>? Requests { get; set; }
}
