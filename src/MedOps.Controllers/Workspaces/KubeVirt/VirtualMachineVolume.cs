using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>A volume of the instance.</summary>
public sealed class VirtualMachineVolume
{
    /// <summary>Volume name (matches a disk).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Backed by a DataVolume.</summary>
    [JsonPropertyName("dataVolume")]
    public DataVolumeVolumeSource? DataVolume { get; set; }
}
