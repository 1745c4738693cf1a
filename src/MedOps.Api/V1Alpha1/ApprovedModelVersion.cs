using System.ComponentModel;
using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>A model version as far as approval is concerned: version, digest and, once approved, the approval.</summary>
public sealed class ApprovedModelVersion
{
    /// <summary>The version.</summary>
    [JsonPropertyName("version")]
    [Description("The model's spec.version.")]
    public string? Version { get; set; }

    /// <summary>The digest.</summary>
    [JsonPropertyName("digest")]
    [Description("The model's spec.source.digest.")]
    public string? Digest { get; set; }

    /// <summary>The ModelApproval, once approved.</summary>
    [JsonPropertyName("approval")]
    [Description("Name of the ModelApproval that approved this version (empty while pending).")]
    public string? Approval { get; set; }

    /// <summary>Who approved, once approved.</summary>
    [JsonPropertyName("approver")]
    [Description("The user who approved this version (the approval's spec.approver).")]
    public string? Approver { get; set; }
}
