using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary><c>domain.cpu</c>.</summary>
public sealed class DomainCpu
{
    /// <summary>Cores.</summary>
    [JsonPropertyName("cores")]
    public int? Cores { get; set; }
}
