using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>Storage requests.</summary>
public sealed class DataVolumeResources
{
    /// <summary>Quantities by resource name (<c>storage</c>).</summary>
    [JsonPropertyName("requests")]
    public IDictionary<string, string>? Requests { get; set; }
}
