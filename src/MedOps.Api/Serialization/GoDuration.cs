using System.Globalization;

namespace MedOps.Api.Serialization;

/// <summary>
/// Parses durations written in Go's <c>time.ParseDuration</c> syntax (<c>15s</c>, <c>500ms</c>,
/// <c>1m30s</c>, <c>1.5h</c>), because controller-runtime's flags and Kubernetes' own durations (metav1.Duration) take them in that form and
/// platform engineers copy values between operators.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", TimeSpan.TicksPerMillisecond / 1_000_000.0),
        ("us", TimeSpan.TicksPerMillisecond / 1_000.0),
        ("µs", TimeSpan.TicksPerMillisecond / 1_000.0),
        ("μs", TimeSpan.TicksPerMillisecond / 1_000.0),
        ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond),
        ("m", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>Parses <paramref name="text"/>; returns false when it is not a Go duration.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var rest = text.AsSpan();
        var negative = rest[0] == '-';
        if (rest[0] is '-' or '+')
        {
            rest = rest[1..];
        }

        // Go accepts a bare "0" without unit, and nothing else without one.
        if (rest is "0")
        {
            return true;
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        double ticks = 0;
        while (!rest.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.'))
            {
                numberLength++;
            }

            var number = rest[..numberLength];
            if (number.IsEmpty || number is "." || number.Count('.') > 1
                || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            rest = rest[numberLength..];
            var unitLength = 0;
            while (unitLength < rest.Length && !char.IsAsciiDigit(rest[unitLength]) && rest[unitLength] != '.')
            {
                unitLength++;
            }

            if (!TryGetUnitTicks(rest[..unitLength], out var ticksPerUnit))
            {
                return false;
            }

            ticks += value * ticksPerUnit;
            rest = rest[unitLength..];
        }

        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)Math.Round(negative ? -ticks : ticks));
        return true;
    }

    /// <summary>Formats a duration the way Go prints it in help texts (<c>15s</c>, <c>500ms</c>, <c>1m30s</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            return duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var text = "";
        if (duration.TotalHours >= 1)
        {
            text += ((long)duration.TotalHours).ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (duration.TotalMinutes >= 1)
        {
            text += duration.Minutes.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var seconds = duration.Seconds + (duration.Milliseconds / 1000.0);
        return text + seconds.ToString(CultureInfo.InvariantCulture) + "s";
    }

    private static bool TryGetUnitTicks(ReadOnlySpan<char> unit, out double ticks)
    {
        foreach (var (name, unitTicks) in Units)
        {
            if (unit.SequenceEqual(name))
            {
                ticks = unitTicks;
                return true;
            }
        }

        ticks = 0;
        return false;
    }
}
