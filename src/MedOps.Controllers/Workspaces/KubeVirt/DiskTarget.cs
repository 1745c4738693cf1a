using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>The disk target.</summary>
public sealed class DiskTarget
{
    /// <summary><c>virtio</c>, <c>sata</c>, <c>scsi</c>.</summary>
    [JsonPropertyName("bus")]
    public string? Bus { get; set; }
}
