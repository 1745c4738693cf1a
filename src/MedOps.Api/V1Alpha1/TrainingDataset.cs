using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The dataset volume, mounted read-only at /data in every worker.</summary>
public sealed class TrainingDataset
{
    /// <summary>The claim holding the dataset.</summary>
    [JsonPropertyName("claimName")]
    [Description("PersistentVolumeClaim in the same namespace that holds the dataset; mounted read-only at /data (MEDOPS_DATA_DIR) in every worker.")]
    [Required]
    [Pattern(ValidationPatterns.Dns1123Subdomain)]
    [MaxLength(253)]
    public string ClaimName { get; set; } = "";

    /// <summary>A folder inside the claim.</summary>
    [JsonPropertyName("subPath")]
    [Description("Folder inside the claim to mount instead of its root; relative, empty for the root.")]
    [Pattern(ValidationPatterns.RelativePath)]
    public string? SubPath { get; set; }
}
