using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>
/// The operating system image the root disk starts from: exactly one of the three sources
/// (checked by the controller: Kubernetes 1.20 CRDs cannot say it).
/// </summary>
public sealed class WorkspaceImage
{
    /// <summary>A container disk image to import.</summary>
    [JsonPropertyName("containerDisk")]
    [Description("Container disk image imported into the root disk (CDI registry source), for example quay.io/containerdisks/ubuntu:22.04. Exactly one of containerDisk, http and pvc.")]
    [MinLength(1)]
    public string? ContainerDisk { get; set; }

    /// <summary>A disk image URL to import.</summary>
    [JsonPropertyName("http")]
    [Description("URL of a disk image (qcow2, raw, optionally compressed) imported into the root disk (CDI http source). Exactly one of containerDisk, http and pvc.")]
    [Pattern(ValidationPatterns.HttpUrl)]
    public string? Http { get; set; }

    /// <summary>A claim to clone.</summary>
    [JsonPropertyName("pvc")]
    [Description("PersistentVolumeClaim cloned into the root disk (CDI pvc source). Exactly one of containerDisk, http and pvc.")]
    public PvcImageSource? Pvc { get; set; }
}
