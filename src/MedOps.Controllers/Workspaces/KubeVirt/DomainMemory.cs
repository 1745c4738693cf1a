using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary><c>domain.memory</c>.</summary>
public sealed class DomainMemory
{
    /// <summary>Memory the guest sees, as a quantity.</summary>
    [JsonPropertyName("guest")]
    public string? Guest { get; set; }
}
