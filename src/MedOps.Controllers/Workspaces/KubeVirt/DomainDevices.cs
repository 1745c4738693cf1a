using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary><c>domain.devices</c>.</summary>
public sealed class DomainDevices
{
    /// <summary>Disks.</summary>
    [JsonPropertyName("disks")]
    public IList<DomainDisk>? Disks { get; set; }

    /// <summary>Passed-through GPUs.</summary>
    [JsonPropertyName("gpus")]
    public IList<DomainGpu>? Gpus { get; set; }
}
