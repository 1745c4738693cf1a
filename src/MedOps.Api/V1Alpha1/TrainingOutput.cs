using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The output volume, mounted read-write at /output in every worker.</summary>
public sealed class TrainingOutput
{
    /// <summary>The claim the model is written to.</summary>
    [JsonPropertyName("claimName")]
    [Description("PersistentVolumeClaim in the same namespace that receives the trained model; mounted at /output (MEDOPS_OUTPUT_DIR) in every worker.")]
    [Required]
    [Pattern(ValidationPatterns.Dns1123Subdomain)]
    [MaxLength(253)]
    public string ClaimName { get; set; } = "";

    /// <summary>The folder inside the claim.</summary>
    [JsonPropertyName("path")]
    [Description("Folder inside the claim that is mounted at /output and holds the model, for example chest-xray/1.5.0; relative, empty for the root. status.outputUri is pvc://<claimName>/<path>.")]
    [Pattern(ValidationPatterns.RelativePath)]
    public string? Path { get; set; }
}
