using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>Names a Secret in the same namespace.</summary>
public sealed class SecretReference
{
    /// <summary>The Secret's name.</summary>
    [JsonPropertyName("name")]
    [Description("Name of a Secret in the same namespace.")]
    [Required]
    [Pattern(ValidationPatterns.Dns1123Subdomain)]
    [MaxLength(253)]
    public string Name { get; set; } = "";
}
