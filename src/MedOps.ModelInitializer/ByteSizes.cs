using System.Globalization;

namespace MedOps.ModelInitializer;

/// <summary>Byte counts as people write them (<c>50Gi</c>) and read them (<c>1.5 GiB</c>).</summary>
internal static class ByteSizes
{
    /// <summary>The default <c>MODEL_MAX_BYTES</c>: 50 GiB.</summary>
    public const long DefaultMaxBytes = 50L << 30;

    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
        ("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
    ];

    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>
    /// Parses a positive count of bytes: digits, optionally followed by a Kubernetes quantity
    /// suffix (<c>Ki Mi Gi Ti</c>, or the decimal <c>K M G T</c>). Null when it is not one.
    /// </summary>
    public static long? TryParse(string text)
    {
        var factor = 1L;
        var digits = text.Trim();
        foreach (var (suffix, value) in Suffixes)
        {
            if (digits.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = value;
                digits = digits[..^suffix.Length];
                break;
            }
        }
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return null;
        }
        return count > long.MaxValue / factor ? null : count * factor;
    }

    /// <summary>A byte count for logs: <c>512 B</c>, <c>1.5 KiB</c>, <c>12.0 GiB</c>.</summary>
    public static string Format(long bytes)
    {
        if (bytes < 1024)
        {
            return $"{bytes} B";
        }
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }
}
