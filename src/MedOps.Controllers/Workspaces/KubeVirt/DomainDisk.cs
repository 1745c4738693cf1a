using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>A disk on a bus.</summary>
public sealed class DomainDisk
{
    /// <summary>Disk (and volume) name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Attached as a disk.</summary>
    [JsonPropertyName("disk")]
    public DiskTarget? Disk { get; set; }
}
