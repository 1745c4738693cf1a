using System.Text.Json.Serialization;
using k8s.Models;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>
/// Template metadata: just labels. Not <see cref="V1ObjectMeta"/>, whose serialisation would
/// carry nothing wrong but invites fields KubeVirt ignores.
/// </summary>
public sealed class TemplateMetadata
{
    /// <summary>Labels.</summary>
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }
}
