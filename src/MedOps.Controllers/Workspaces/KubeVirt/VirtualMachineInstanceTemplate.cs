using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary><c>spec.template</c>: metadata of the virt-launcher pod and the instance spec.</summary>
public sealed class VirtualMachineInstanceTemplate
{
    /// <summary>Labels and annotations of the instance (and its pod).</summary>
    [JsonPropertyName("metadata")]
    public TemplateMetadata? Metadata { get; set; }

    /// <summary>The instance spec.</summary>
    [JsonPropertyName("spec")]
    public VirtualMachineInstanceSpec? Spec { get; set; }
}
