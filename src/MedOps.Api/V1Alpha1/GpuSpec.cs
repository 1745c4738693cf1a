using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>GPUs for each pod: how many, which extended resource, and which products may serve.</summary>
public sealed class GpuSpec
{
    /// <summary>The name of the default GPU extended resource (the NVIDIA device plugin's).</summary>
    public const string DefaultResourceName = "nvidia.com/gpu";

    /// <summary>GPUs per pod; 0 runs on CPU only.</summary>
    [JsonPropertyName("count")]
    [Description("Number of GPUs for each pod, requested and limited as the extended resource named by resourceName; 0 runs on CPU only.")]
    [DefaultValue(0)]
    [Minimum(0)]
    public int Count { get; set; }

    /// <summary>The extended resource that counts GPUs on the nodes.</summary>
    [JsonPropertyName("resourceName")]
    [Description("Extended resource name of the GPU as the device plugin advertises it; the pods also tolerate the NoSchedule taint of this name.")]
    [DefaultValue(DefaultResourceName)]
    [Pattern(ValidationPatterns.ExtendedResourceName)]
    public string ResourceName { get; set; } = DefaultResourceName;

    /// <summary>Acceptable GPU products; empty accepts any.</summary>
    [JsonPropertyName("products")]
    [Description("GPU products the pods may run on: values of the node label nvidia.com/gpu.product (set by GPU feature discovery), for example NVIDIA-A100-SXM4-80GB. Omitted or empty: any product.")]
    [Pattern(ValidationPatterns.LabelValue)]
    public IList<string>? Products { get; set; }

    /// <summary>The least memory one GPU must have.</summary>
    [JsonPropertyName("minMemory")]
    [Description("Least memory each GPU must have, as a quantity (for example 40Gi); compared with the node label nvidia.com/gpu.memory, which is in MiB.")]
    [Quantity]
    public string? MinMemory { get; set; }
}
