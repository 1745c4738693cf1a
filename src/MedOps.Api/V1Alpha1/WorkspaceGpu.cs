using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>GPUs passed through to the virtual machine.</summary>
public sealed class WorkspaceGpu
{
    /// <summary>How many GPUs.</summary>
    [JsonPropertyName("count")]
    [Description("Number of GPUs passed through to the virtual machine, each a domain.devices.gpus entry of deviceName.")]
    [DefaultValue(1)]
    [Minimum(0)]
    public int Count { get; set; } = 1;

    /// <summary>The KubeVirt device name.</summary>
    [JsonPropertyName("deviceName")]
    [Description("Resource name of the GPU as KubeVirt's permitted host devices list it, for example nvidia.com/GA100_A100_PCIE_40GB.")]
    [Required]
    [Pattern(ValidationPatterns.ExtendedResourceName)]
    public string DeviceName { get; set; } = "";
}
