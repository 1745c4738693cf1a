using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>Whether a model's predictions may reach patient care.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelUsage>))]
public enum ModelUsage
{
    /// <summary>Research only; predictions do not inform care. The default.</summary>
    Research,

    /// <summary>Used in clinical workflows.</summary>
    Clinical,
}
