using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The desired state of a MedicalModel: the template fields plus where the model comes from.</summary>
public sealed class V1Alpha1MedicalModelSpec : MedicalModelTemplateSpec
{
    /// <summary>Where the artefact comes from.</summary>
    [JsonPropertyName("source")]
    [Description("Where the model artefact comes from: exactly one of uri and trainingJobRef, optionally pinned by digest.")]
    [Required]
    public ModelSource Source { get; set; } = new();
}
