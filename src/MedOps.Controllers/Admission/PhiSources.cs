using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// The rule that PHI and LimitedDataSet models read their weights only from sources the
/// hospital controls (<c>guardrails.phiSourcePrefixes</c>): a PHI workload pointed at a public
/// hub or someone else's bucket would run code and weights nobody vetted, inside the
/// confinement that protects patient data.
/// </summary>
public static class PhiSources
{
    /// <summary>Public model hubs: never a PHI source, even under an allowed prefix such as <c>https://</c>.</summary>
    public static readonly string[] PublicHubHosts = ["huggingface.co", "hf.co"];

    /// <summary>Null when the source is allowed for <paramref name="classification"/>.</summary>
    public static FieldViolation? Check(string field, string? uri, DataClassification classification, GuardrailSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrEmpty(uri) || !DataConfinement.IsConfined(classification))
        {
            return null;
        }
        if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps
            && PublicHubHosts.Any(hub => parsed.Host == hub || parsed.Host.EndsWith("." + hub, StringComparison.OrdinalIgnoreCase)))
        {
            return new FieldViolation(field,
                $"{field}: \"{uri}\" is a public model hub, which {classification} models may not use whatever guardrails.phiSourcePrefixes allows: mirror the model into storage you control, or lower spec.dataClassification if the model holds no patient data");
        }
        if (settings.PhiSourcePrefixes.Any(prefix => uri.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return null;
        }
        var allowed = settings.PhiSourcePrefixes.Count == 0
            ? "none is configured (guardrails.phiSourcePrefixes is empty)"
            : $"use a URI starting with {Quoted(settings.PhiSourcePrefixes)} (guardrails.phiSourcePrefixes)";
        return new FieldViolation(field,
            $"{field}: \"{uri}\" is not an allowed source for {classification} data: {allowed}, or lower spec.dataClassification if the model holds no patient data");
    }

    internal static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"\"{v}\""));
}
