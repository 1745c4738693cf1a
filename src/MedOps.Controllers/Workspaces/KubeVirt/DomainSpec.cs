using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary><c>domain</c>: CPU, memory, resources, devices.</summary>
public sealed class DomainSpec
{
    /// <summary>CPU topology.</summary>
    [JsonPropertyName("cpu")]
    public DomainCpu? Cpu { get; set; }

    /// <summary>Guest memory.</summary>
    [JsonPropertyName("memory")]
    public DomainMemory? Memory { get; set; }

    /// <summary>The virt-launcher pod's resources.</summary>
    [JsonPropertyName("resources")]
    public DomainResources? Resources { get; set; }

    /// <summary>Disks, GPUs.</summary>
    [JsonPropertyName("devices")]
    public DomainDevices? Devices { get; set; }
}
