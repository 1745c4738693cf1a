using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>A KubeVirt or CDI condition.</summary>
public sealed class KubeVirtCondition
{
    /// <summary>Type.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>CamelCase reason.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>Human message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
