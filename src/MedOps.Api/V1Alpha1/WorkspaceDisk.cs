using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The workspace's root disk, a CDI DataVolume that outlives stops.</summary>
public sealed class WorkspaceDisk
{
    /// <summary>The default disk size.</summary>
    public const string DefaultSize = "20Gi";

    /// <summary>The disk size.</summary>
    [JsonPropertyName("size")]
    [Description("Size of the root disk as a quantity, for example 20Gi; the image is imported into it.")]
    [DefaultValue(DefaultSize)]
    [Quantity]
    public string Size { get; set; } = DefaultSize;

    /// <summary>The StorageClass of the disk.</summary>
    [JsonPropertyName("storageClassName")]
    [Description("StorageClass of the root disk; the cluster's default StorageClass when omitted or empty.")]
    [Pattern(ValidationPatterns.OptionalDns1123Subdomain)]
    [MaxLength(253)]
    public string? StorageClassName { get; set; }

    /// <summary>What happens to the disk when the workspace is deleted.</summary>
    [JsonPropertyName("reclaimPolicy")]
    [Description("What happens to the disk when the workspace is deleted: Delete (the default) deletes it; Retain keeps its PersistentVolumeClaim <name>-rootdisk, labelled medops.io/retained-from-workspace, to hand over or clone into a new workspace (spec.image.pvc).")]
    [DefaultValue(DiskReclaimPolicy.Delete)]
    public DiskReclaimPolicy ReclaimPolicy { get; set; } = DiskReclaimPolicy.Delete;
}
