using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>A PersistentVolumeClaim whose content is cloned into the root disk.</summary>
public sealed class PvcImageSource
{
    /// <summary>The claim's namespace.</summary>
    [JsonPropertyName("namespace")]
    [Description("Namespace of the PersistentVolumeClaim to clone, for example a namespace of golden images.")]
    [Required]
    [Pattern(ValidationPatterns.Dns1123Label)]
    [MaxLength(63)]
    public string Namespace { get; set; } = "";

    /// <summary>The claim's name.</summary>
    [JsonPropertyName("name")]
    [Description("Name of the PersistentVolumeClaim to clone.")]
    [Required]
    [Pattern(ValidationPatterns.Dns1123Subdomain)]
    [MaxLength(253)]
    public string Name { get; set; } = "";
}
