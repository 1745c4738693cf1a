using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The model version an approval is for, and who approved it.</summary>
public sealed class V1Alpha1ModelApprovalSpec
{
    /// <summary>The MedicalModel approved.</summary>
    [JsonPropertyName("modelName")]
    [Description("Name of the MedicalModel in the same namespace whose version is approved.")]
    [Required]
    [Pattern(ValidationPatterns.Dns1123Subdomain)]
    [MaxLength(253)]
    public string ModelName { get; set; } = "";

    /// <summary>The approved version.</summary>
    [JsonPropertyName("version")]
    [Description("The approved spec.version of the model; must be the model's current version when the approval is created.")]
    [Required]
    [MinLength(1)]
    public string Version { get; set; } = "";

    /// <summary>The approved weights.</summary>
    [JsonPropertyName("digest")]
    [Description("The approved spec.source.digest of the model (sha256:<64 lower-case hex digits>); must be the model's current digest when the approval is created. The approval covers exactly these weights.")]
    [Required]
    [Pattern(ValidationPatterns.Sha256Digest)]
    public string Digest { get; set; } = "";

    /// <summary>Who approved: set by the admission webhook, never by the client.</summary>
    [JsonPropertyName("approver")]
    [Description("The authenticated user who created this approval. Set by the MedOps admission webhook from the request (any value sent is replaced), as the API server sets a CertificateSigningRequest's spec.username.")]
    public string? Approver { get; set; }

    /// <summary>Why the version may serve clinicians.</summary>
    [JsonPropertyName("comment")]
    [Description("Why this version is fit for clinical use, for example the validation report or change ticket; shown by kubectl, not copied into the audit trail. Never put patient data here.")]
    [MaxLength(1024)]
    public string? Comment { get; set; }
}
