using System.Globalization;
using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Workspaces.Lifecycle;

/// <summary>One daily window, in UTC.</summary>
public sealed record ActiveWindow(DateTime StartUtc, DateTime EndUtc)
{
    /// <summary>True when <paramref name="nowUtc"/> is inside.</summary>
    public bool Contains(DateTime nowUtc) => StartUtc <= nowUtc && nowUtc < EndUtc;
}

/// <summary>
/// The windows of <see cref="WorkspaceActiveHours"/> on the time line: each allowed day's
/// window from <c>start</c> to <c>end</c> in the zone, the next day's <c>end</c> when the window
/// crosses midnight. Local times that do not exist (the hour skipped when clocks go forward)
/// move to the first valid minute after; ambiguous ones (the hour repeated when clocks go back)
/// count in standard time. Pure.
/// </summary>
public static class ActiveWindows
{
    /// <summary>Reads start, end and the zone; false with a sentence when one is unusable.</summary>
    public static bool TryParse(WorkspaceActiveHours hours, out TimeZoneInfo zone, out TimeSpan start, out TimeSpan end, out string? error) =>
        TryParse(hours, out zone, out start, out end, out error, out _);

    /// <summary>As <see cref="TryParse(WorkspaceActiveHours, out TimeZoneInfo, out TimeSpan, out TimeSpan, out string?)"/>, also naming the field at fault.</summary>
    public static bool TryParse(WorkspaceActiveHours hours, out TimeZoneInfo zone, out TimeSpan start, out TimeSpan end, out string? error, out string? field)
    {
        ArgumentNullException.ThrowIfNull(hours);
        zone = TimeZoneInfo.Utc;
        start = end = TimeSpan.Zero;
        field = null;
        if (!TimeSpan.TryParseExact(hours.Start, @"hh\:mm", CultureInfo.InvariantCulture, out start))
        {
            field = "spec.lifecycle.activeHours.start";
            error = $"spec.lifecycle.activeHours.start \"{hours.Start}\" is not a time HH:MM such as 07:00";
            return false;
        }
        if (!TimeSpan.TryParseExact(hours.End, @"hh\:mm", CultureInfo.InvariantCulture, out end))
        {
            field = "spec.lifecycle.activeHours.end";
            error = $"spec.lifecycle.activeHours.end \"{hours.End}\" is not a time HH:MM such as 19:00";
            return false;
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrEmpty(hours.TimeZone) ? "UTC" : hours.TimeZone, out var found))
        {
            field = "spec.lifecycle.activeHours.timeZone";
            error = $"spec.lifecycle.activeHours.timeZone \"{hours.TimeZone}\" is not a known IANA time zone such as Europe/Berlin or America/New_York";
            return false;
        }
        zone = found;
        error = null;
        return true;
    }

    /// <summary>The window that contains <paramref name="nowUtc"/>, or null outside every window.</summary>
    public static ActiveWindow? Containing(WorkspaceActiveHours hours, DateTime nowUtc) =>
        Around(hours, nowUtc).FirstOrDefault(w => w.Contains(nowUtc));

    /// <summary>The first window that starts after <paramref name="nowUtc"/>, or null when no day is allowed.</summary>
    public static ActiveWindow? Next(WorkspaceActiveHours hours, DateTime nowUtc) =>
        Around(hours, nowUtc).Where(w => w.StartUtc > nowUtc).MinBy(w => w.StartUtc);

    // The windows of the local days from yesterday to a week ahead.
    private static IEnumerable<ActiveWindow> Around(WorkspaceActiveHours hours, DateTime nowUtc)
    {
        if (!TryParse(hours, out var zone, out var start, out var end, out _))
        {
            yield break;
        }
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone).Date;
        for (var day = today.AddDays(-1); day <= today.AddDays(8); day = day.AddDays(1))
        {
            if (hours.Days is { Count: > 0 } days && !days.Contains(WeekDayOf(day.DayOfWeek)))
            {
                continue;
            }
            var startUtc = ToUtc(day + start, zone);
            var endUtc = ToUtc((end <= start ? day.AddDays(1) : day) + end, zone);
            if (endUtc > startUtc)
            {
                yield return new ActiveWindow(startUtc, endUtc);
            }
        }
    }

    private static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static WeekDay WeekDayOf(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => WeekDay.Mon,
        DayOfWeek.Tuesday => WeekDay.Tue,
        DayOfWeek.Wednesday => WeekDay.Wed,
        DayOfWeek.Thursday => WeekDay.Thu,
        DayOfWeek.Friday => WeekDay.Fri,
        DayOfWeek.Saturday => WeekDay.Sat,
        _ => WeekDay.Sun,
    };
}
