using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The MedicalModel a TrainingJob creates or updates when it succeeds.</summary>
public sealed class ModelRegistration
{
    /// <summary>The MedicalModel's name.</summary>
    [JsonPropertyName("name")]
    [Description("Name of the MedicalModel to create, or to update to the new version, in the same namespace; it also names the model's Service, so it must be a DNS-1035 label.")]
    [Required]
    [Pattern(ValidationPatterns.Dns1035Label)]
    [MaxLength(63)]
    public string Name { get; set; } = "";

    /// <summary>The model's spec without source.</summary>
    [JsonPropertyName("template")]
    [Description("Spec of the MedicalModel without source: the operator sets source.trainingJobRef to this job, so the model serves this job's status.outputUri and records it in its status.lineage.")]
    [Required]
    public MedicalModelTemplateSpec Template { get; set; } = new();
}
