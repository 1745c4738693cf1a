using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Controllers.Shared;

/// <summary>
/// Parses Kubernetes quantities (<c>4</c>, <c>500m</c>, <c>16Gi</c>, <c>1e3</c>) the way the API
/// server does. The client's <see cref="ResourceQuantity"/> alone is laxer (it accepts leading
/// blanks) and fails with three different exception types, so the text is first matched
/// against the quantity pattern the CRD uses.
/// </summary>
public static partial class KubernetesQuantity
{
    /// <summary>
    /// Parses <paramref name="text"/>. On success, <paramref name="quantity"/> is the client's
    /// quantity (which serialises in the API server's canonical spelling) and
    /// <paramref name="value"/> its exact value in base units (cores, bytes).
    /// </summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out ResourceQuantity? quantity,
        out decimal value)
    {
        quantity = null;
        value = 0;
        // The pattern's $ also matches before a final newline, which the API server refuses.
        if (string.IsNullOrEmpty(text) || text.Any(char.IsWhiteSpace) || !QuantityPattern().IsMatch(text))
        {
            return false;
        }
        try
        {
            var parsed = new ResourceQuantity(text);
            value = parsed.ToDecimal();
            quantity = parsed;
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            // Matches the pattern but does not fit a decimal (1e30) or has an odd suffix.
            return false;
        }
    }

    /// <summary>
    /// The quantity for <paramref name="text"/>, which must already have been validated.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a quantity.</exception>
    public static ResourceQuantity Parse(string text, string field) =>
        TryParse(text, out var quantity, out _)
            ? quantity
            : throw new ArgumentException($"{field} \"{text}\" is not a Kubernetes quantity (validate the spec before building).", nameof(text));

    [GeneratedRegex(QuantityAttribute.Pattern, RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex QuantityPattern();
}
