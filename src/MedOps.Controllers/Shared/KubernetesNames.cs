using System.Text.RegularExpressions;

namespace MedOps.Controllers.Shared;

/// <summary>Kubernetes' own name rules, for values the operator turns into object names.</summary>
public static partial class KubernetesNames
{
    /// <summary>The longest DNS-1123 subdomain.</summary>
    public const int MaxSubdomainLength = 253;

    /// <summary>The longest DNS label (and label value).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// A DNS-1123 subdomain: the rule for most object names, PersistentVolumeClaims included.
    /// </summary>
    public static bool IsDns1123Subdomain(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxSubdomainLength && Dns1123Subdomain().IsMatch(value);

    /// <summary>
    /// A DNS-1035 label: the rule for Service names (at most 63 characters, lower-case letters,
    /// digits and '-', starting with a letter and ending with a letter or digit).
    /// </summary>
    public static bool IsDns1035Label(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLabelLength && Dns1035Label().IsMatch(value);

    /// <summary>
    /// A qualified name, the rule for label and taint keys: an optional DNS-1123 subdomain prefix
    /// and '/', then at most 63 letters, digits, '-', '_' and '.', starting and ending with a
    /// letter or digit.
    /// </summary>
    public static bool IsQualifiedName(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? value : value[(slash + 1)..];
        return (slash < 0 || IsDns1123Subdomain(value[..slash]))
            && name.Length is > 0 and <= MaxLabelLength
            && QualifiedNamePart().IsMatch(name);
    }

    /// <summary>A label value: empty, or at most 63 characters as a qualified name's name part.</summary>
    public static bool IsLabelValue(string? value) =>
        string.IsNullOrEmpty(value) || (value.Length <= MaxLabelLength && QualifiedNamePart().IsMatch(value));

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035Label();
}
