using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>CPU, memory and optional GPUs for each pod; requests equal limits (Guaranteed QoS).</summary>
public sealed class ComputeResources
{
    /// <summary>CPU for each pod, as the user wrote it.</summary>
    [JsonPropertyName("cpu")]
    [Description("CPU for each pod as a quantity (4, \"500m\"); used as both request and limit, so the pods get Guaranteed QoS.")]
    [Required]
    [Quantity]
    public string Cpu { get; set; } = "";

    /// <summary>Memory for each pod, as the user wrote it.</summary>
    [JsonPropertyName("memory")]
    [Description("Memory for each pod as a quantity (16Gi, 512Mi); used as both request and limit.")]
    [Required]
    [Quantity]
    public string Memory { get; set; } = "";

    /// <summary>GPUs for each pod; none when omitted.</summary>
    [JsonPropertyName("gpu")]
    [Description("GPUs for each pod. Omitted: no GPU. With count > 0 the pods get the GPU limit, a toleration for the GPU taint and node affinity for products and minMemory.")]
    public GpuSpec? Gpu { get; set; }
}
