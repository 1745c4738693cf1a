using System.Text.Json.Serialization;
using k8s.Models;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary><c>spec.template.spec</c>.</summary>
public sealed class VirtualMachineInstanceSpec
{
    /// <summary>The virtual hardware.</summary>
    [JsonPropertyName("domain")]
    public DomainSpec? Domain { get; set; }

    /// <summary>Volumes the disks refer to.</summary>
    [JsonPropertyName("volumes")]
    public IList<VirtualMachineVolume>? Volumes { get; set; }

    /// <summary>Node labels the virt-launcher pod must match (core/v1 nodeSelector).</summary>
    [JsonPropertyName("nodeSelector")]
    public IDictionary<string, string>? NodeSelector { get; set; }

    /// <summary>Tolerations of the virt-launcher pod (core/v1 Toleration, as in a pod spec).</summary>
    [JsonPropertyName("tolerations")]
    public IList<V1Toleration>? Tolerations { get; set; }
}
