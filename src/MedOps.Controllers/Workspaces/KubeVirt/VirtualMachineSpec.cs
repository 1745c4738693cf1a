using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary><c>VirtualMachine.spec</c>.</summary>
public sealed class VirtualMachineSpec
{
    /// <summary><c>Always</c>, <c>Halted</c>, <c>Manual</c>, <c>RerunOnFailure</c> or <c>Once</c>.</summary>
    [JsonPropertyName("runStrategy")]
    public string? RunStrategy { get; set; }

    /// <summary>The instance template.</summary>
    [JsonPropertyName("template")]
    public VirtualMachineInstanceTemplate? Template { get; set; }

    /// <summary>DataVolumes created for (and owned by) the VM.</summary>
    [JsonPropertyName("dataVolumeTemplates")]
    public IList<DataVolumeTemplate>? DataVolumeTemplates { get; set; }
}
