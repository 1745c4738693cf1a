using System.Globalization;

namespace MedOps.NodeSimulator;

/// <summary>
/// Kubernetes stores object timestamps with whole-second precision (RFC 3339). The simulator
/// writes whole seconds too, so what it computes from a timestamp it wrote matches what it reads back.
/// Times that start a timer (a container started, a VM began Starting) are rounded up, not down:
/// rounded down, a half-second run or delay would already be over when read back.
/// </summary>
internal static class Timestamps
{
    public static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    /// <summary>The time rounded down to the whole second, in UTC.</summary>
    public static DateTime WholeSeconds(DateTime time)
    {
        var utc = AsUtc(time);
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    /// <summary>The time rounded up to the whole second, in UTC: the recorded start of something timed.</summary>
    public static DateTime NextWholeSecond(DateTime time)
    {
        var floor = WholeSeconds(time);
        return floor == AsUtc(time) ? floor : floor.AddSeconds(1);
    }

    public static string Format(DateTime time) =>
        WholeSeconds(time).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTime? Parse(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? DateTime.SpecifyKind(parsed, DateTimeKind.Utc)
            : null;

    /// <summary>The earlier of two optional wake-up times.</summary>
    public static DateTime? Earliest(DateTime? a, DateTime? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
