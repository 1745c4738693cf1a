using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Workspaces.Lifecycle;

namespace MedOps.Controllers.Tests.Workspaces.Lifecycle;

/// <summary>
/// Active hours on the time line: the window around an instant and the next one, in zones with
/// daylight saving, across midnight, on some days of the week only.
/// </summary>
public class ActiveWindowsTests
{
    private const string Berlin = "Europe/Berlin";
    private const string NewYork = "America/New_York";

    private static readonly WeekDay[] Weekdays = [WeekDay.Mon, WeekDay.Tue, WeekDay.Wed, WeekDay.Thu, WeekDay.Fri];

    private static WorkspaceActiveHours Hours(string start, string end, string zone = Berlin, params WeekDay[] days) => new()
    {
        Start = start,
        End = end,
        TimeZone = zone,
        Days = days.Length == 0 ? null : days,
    };

    private static DateTime Utc(int month, int day, int hour, int minute = 0, int year = 2026) =>
        new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static ActiveWindow Window(DateTime start, DateTime end) => new(start, end);

    // Office hours in Berlin: 07:00-19:00 local

    [Fact]
    public void Office_hours_in_berlin_winter_are_one_hour_ahead_of_utc()
    {
        // Wednesday 14 January 2026, 11:00 in Berlin (CET, UTC+1).
        Assert.Equal(Window(Utc(1, 14, 6), Utc(1, 14, 18)), ActiveWindows.Containing(Hours("07:00", "19:00"), Utc(1, 14, 10)));
    }

    [Fact]
    public void Office_hours_in_berlin_summer_are_two_hours_ahead_of_utc()
    {
        // Wednesday 15 July 2026, 12:00 in Berlin (CEST, UTC+2).
        Assert.Equal(Window(Utc(7, 15, 5), Utc(7, 15, 17)), ActiveWindows.Containing(Hours("07:00", "19:00"), Utc(7, 15, 10)));
    }

    [Fact]
    public void The_window_includes_its_start_and_excludes_its_end()
    {
        var hours = Hours("07:00", "19:00");

        Assert.Equal(Window(Utc(1, 14, 6), Utc(1, 14, 18)), ActiveWindows.Containing(hours, Utc(1, 14, 6)));
        Assert.Null(ActiveWindows.Containing(hours, Utc(1, 14, 6).AddTicks(-1)));
        Assert.Null(ActiveWindows.Containing(hours, Utc(1, 14, 18)));
        Assert.True(Window(Utc(1, 14, 6), Utc(1, 14, 18)).Contains(Utc(1, 14, 18).AddTicks(-1)));
    }

    [Fact]
    public void Before_the_window_opens_the_next_one_is_today_s()
    {
        var hours = Hours("07:00", "19:00");

        // 06:30 in Berlin.
        Assert.Null(ActiveWindows.Containing(hours, Utc(1, 14, 5, 30)));
        Assert.Equal(Window(Utc(1, 14, 6), Utc(1, 14, 18)), ActiveWindows.Next(hours, Utc(1, 14, 5, 30)));
    }

    [Fact]
    public void During_and_after_the_window_the_next_one_is_tomorrow_s()
    {
        var hours = Hours("07:00", "19:00");

        Assert.Equal(Window(Utc(1, 15, 6), Utc(1, 15, 18)), ActiveWindows.Next(hours, Utc(1, 14, 10)));
        Assert.Equal(Window(Utc(1, 15, 6), Utc(1, 15, 18)), ActiveWindows.Next(hours, Utc(1, 14, 18)));
        // 23:30 in Berlin, 22:30 UTC: still the same local day.
        Assert.Equal(Window(Utc(1, 15, 6), Utc(1, 15, 18)), ActiveWindows.Next(hours, Utc(1, 14, 22, 30)));
        // 00:30 in Berlin on the 15th, 23:30 UTC on the 14th: the local day decides.
        Assert.Equal(Window(Utc(1, 15, 6), Utc(1, 15, 18)), ActiveWindows.Next(hours, Utc(1, 14, 23, 30)));
    }

    [Fact]
    public void The_zone_defaults_to_utc()
    {
        Assert.Equal(Window(Utc(1, 14, 7), Utc(1, 14, 19)), ActiveWindows.Containing(new WorkspaceActiveHours { Start = "07:00", End = "19:00" }, Utc(1, 14, 10)));
        Assert.Equal(Window(Utc(1, 14, 7), Utc(1, 14, 19)), ActiveWindows.Containing(Hours("07:00", "19:00", zone: ""), Utc(1, 14, 10)));
        Assert.Equal(Window(Utc(7, 15, 7), Utc(7, 15, 19)), ActiveWindows.Containing(Hours("07:00", "19:00", zone: "UTC"), Utc(7, 15, 10)));
    }

    // A window across midnight: 22:00-06:00

    [Fact]
    public void A_night_window_ends_the_next_morning()
    {
        var hours = Hours("22:00", "06:00");

        // Wednesday 23:30 in Berlin.
        Assert.Equal(Window(Utc(1, 14, 21), Utc(1, 15, 5)), ActiveWindows.Containing(hours, Utc(1, 14, 22, 30)));
        // Thursday 00:30 in Berlin, still Wednesday in UTC.
        Assert.Equal(Window(Utc(1, 14, 21), Utc(1, 15, 5)), ActiveWindows.Containing(hours, Utc(1, 14, 23, 30)));
    }

    [Fact]
    public void The_early_morning_belongs_to_the_window_of_the_day_before()
    {
        var hours = Hours("22:00", "06:00");

        // Thursday 04:00 in Berlin: Wednesday's window.
        Assert.Equal(Window(Utc(1, 14, 21), Utc(1, 15, 5)), ActiveWindows.Containing(hours, Utc(1, 15, 3)));
        // Thursday 06:00: it has just closed; Thursday's opens at 22:00.
        Assert.Null(ActiveWindows.Containing(hours, Utc(1, 15, 5)));
        Assert.Equal(Window(Utc(1, 15, 21), Utc(1, 16, 5)), ActiveWindows.Next(hours, Utc(1, 15, 5)));
    }

    [Fact]
    public void Inside_a_night_window_the_next_one_opens_the_next_evening()
    {
        var hours = Hours("22:00", "06:00");

        Assert.Equal(Window(Utc(1, 15, 21), Utc(1, 16, 5)), ActiveWindows.Next(hours, Utc(1, 15, 3)));
    }

    [Fact]
    public void An_end_equal_to_the_start_is_a_window_of_a_whole_day()
    {
        var hours = Hours("07:00", "07:00");

        Assert.Equal(Window(Utc(1, 14, 6), Utc(1, 15, 6)), ActiveWindows.Containing(hours, Utc(1, 14, 20)));
        Assert.Equal(Window(Utc(1, 13, 6), Utc(1, 14, 6)), ActiveWindows.Containing(hours, Utc(1, 14, 5)));
    }

    // Days of the week

    [Fact]
    public void Saturday_morning_is_outside_monday_to_friday_hours()
    {
        var hours = Hours("07:00", "19:00", Berlin, Weekdays);

        // Saturday 17 January 2026, 10:00 in Berlin.
        Assert.Null(ActiveWindows.Containing(hours, Utc(1, 17, 9)));
        Assert.Equal(Window(Utc(1, 19, 6), Utc(1, 19, 18)), ActiveWindows.Next(hours, Utc(1, 17, 9)));
        // Friday is in.
        Assert.Equal(Window(Utc(1, 16, 6), Utc(1, 16, 18)), ActiveWindows.Containing(hours, Utc(1, 16, 9)));
        Assert.Equal(Window(Utc(1, 19, 6), Utc(1, 19, 18)), ActiveWindows.Next(hours, Utc(1, 16, 9)));
    }

    [Fact]
    public void Friday_s_night_window_reaches_into_saturday()
    {
        var hours = Hours("22:00", "06:00", Berlin, Weekdays);

        // Saturday 04:00 in Berlin: Friday's window.
        Assert.Equal(Window(Utc(1, 16, 21), Utc(1, 17, 5)), ActiveWindows.Containing(hours, Utc(1, 17, 3)));
        // Saturday 23:00: Saturday has no window; Monday's opens at 22:00.
        Assert.Null(ActiveWindows.Containing(hours, Utc(1, 17, 22)));
        Assert.Equal(Window(Utc(1, 19, 21), Utc(1, 20, 5)), ActiveWindows.Next(hours, Utc(1, 17, 22)));
    }

    [Fact]
    public void Monday_s_early_morning_is_outside_when_sunday_has_no_window()
    {
        var hours = Hours("22:00", "06:00", Berlin, Weekdays);

        // Monday 19 January, 04:00 in Berlin: Sunday's window would hold it, and Sunday is not allowed.
        Assert.Null(ActiveWindows.Containing(hours, Utc(1, 19, 3)));
        Assert.Equal(Window(Utc(1, 19, 21), Utc(1, 20, 5)), ActiveWindows.Next(hours, Utc(1, 19, 3)));
    }

    [Fact]
    public void A_single_day_s_next_window_may_be_almost_a_week_away()
    {
        var hours = Hours("07:00", "19:00", Berlin, WeekDay.Wed);

        // Thursday 15 January: the next is Wednesday 21 January.
        Assert.Equal(Window(Utc(1, 21, 6), Utc(1, 21, 18)), ActiveWindows.Next(hours, Utc(1, 15, 9)));
        // Wednesday after the window: a week later.
        Assert.Equal(Window(Utc(1, 21, 6), Utc(1, 21, 18)), ActiveWindows.Next(hours, Utc(1, 14, 20)));
    }

    [Fact]
    public void An_empty_list_of_days_means_every_day()
    {
        var hours = new WorkspaceActiveHours { Start = "07:00", End = "19:00", TimeZone = Berlin, Days = [] };

        Assert.Equal(Window(Utc(1, 17, 6), Utc(1, 17, 18)), ActiveWindows.Containing(hours, Utc(1, 17, 9)));
    }

    [Fact]
    public void Sunday_is_a_day_of_its_own()
    {
        var hours = Hours("07:00", "19:00", Berlin, WeekDay.Sun);

        Assert.Equal(Window(Utc(1, 18, 6), Utc(1, 18, 18)), ActiveWindows.Containing(hours, Utc(1, 18, 9)));
        Assert.Null(ActiveWindows.Containing(hours, Utc(1, 17, 9)));
    }

    // Daylight-saving days in Berlin: 29 March 2026 (02:00 → 03:00) and 25 October 2026 (03:00 → 02:00)

    [Fact]
    public void Office_hours_on_the_spring_forward_day_follow_summer_time()
    {
        var hours = Hours("07:00", "19:00");

        Assert.Equal(Window(Utc(3, 28, 6), Utc(3, 28, 18)), ActiveWindows.Containing(hours, Utc(3, 28, 10)));
        Assert.Equal(Window(Utc(3, 29, 5), Utc(3, 29, 17)), ActiveWindows.Containing(hours, Utc(3, 29, 10)));
    }

    [Fact]
    public void A_start_in_the_skipped_hour_moves_to_three_o_clock()
    {
        // 02:30 does not exist on 29 March: the window opens at 03:00 CEST, 01:00 UTC.
        var hours = Hours("02:30", "10:00");

        Assert.Equal(Window(Utc(3, 29, 1), Utc(3, 29, 8)), ActiveWindows.Containing(hours, Utc(3, 29, 1)));
        // 01:59 CET is before it.
        Assert.Null(ActiveWindows.Containing(hours, Utc(3, 29, 0, 59)));
        Assert.Equal(Window(Utc(3, 29, 1), Utc(3, 29, 8)), ActiveWindows.Next(hours, Utc(3, 29, 0, 59)));
        // The day before and after, 02:30 is an ordinary time.
        Assert.Equal(Window(Utc(3, 28, 1, 30), Utc(3, 28, 9)), ActiveWindows.Containing(hours, Utc(3, 28, 2)));
        Assert.Equal(Window(Utc(3, 30, 0, 30), Utc(3, 30, 8)), ActiveWindows.Containing(hours, Utc(3, 30, 2)));
    }

    [Fact]
    public void An_end_in_the_skipped_hour_moves_to_three_o_clock_too()
    {
        var hours = Hours("22:00", "02:30");

        // Saturday 22:00 CET to Sunday 03:00 CEST: four hours.
        Assert.Equal(Window(Utc(3, 28, 21), Utc(3, 29, 1)), ActiveWindows.Containing(hours, Utc(3, 28, 23)));
    }

    [Fact]
    public void A_night_window_over_the_spring_forward_is_an_hour_shorter()
    {
        var window = ActiveWindows.Containing(Hours("22:00", "06:00"), Utc(3, 28, 23));

        Assert.Equal(Window(Utc(3, 28, 21), Utc(3, 29, 4)), window);
        Assert.Equal(TimeSpan.FromHours(7), window!.EndUtc - window.StartUtc);
    }

    [Fact]
    public void Office_hours_on_the_fall_back_day_follow_winter_time()
    {
        var window = ActiveWindows.Containing(Hours("07:00", "19:00"), Utc(10, 25, 10));

        Assert.Equal(Window(Utc(10, 25, 6), Utc(10, 25, 18)), window);
        Assert.Equal(Window(Utc(10, 24, 5), Utc(10, 24, 17)), ActiveWindows.Containing(Hours("07:00", "19:00"), Utc(10, 24, 10)));
    }

    [Fact]
    public void A_start_in_the_repeated_hour_counts_in_standard_time()
    {
        // 02:30 happens twice on 25 October: 00:30 UTC (CEST) and 01:30 UTC (CET). The window opens at the second.
        var hours = Hours("02:30", "12:00");

        Assert.Null(ActiveWindows.Containing(hours, Utc(10, 25, 0, 45)));
        Assert.Equal(Window(Utc(10, 25, 1, 30), Utc(10, 25, 11)), ActiveWindows.Next(hours, Utc(10, 25, 0, 45)));
        Assert.Equal(Window(Utc(10, 25, 1, 30), Utc(10, 25, 11)), ActiveWindows.Containing(hours, Utc(10, 25, 1, 30)));
    }

    [Fact]
    public void An_end_in_the_repeated_hour_counts_in_standard_time_so_both_passes_are_inside()
    {
        var hours = Hours("00:00", "02:30");

        // 00:00 CEST is 22:00 UTC; the second 02:30 is 01:30 UTC.
        var window = ActiveWindows.Containing(hours, Utc(10, 25, 0, 45));
        Assert.Equal(Window(Utc(10, 24, 22), Utc(10, 25, 1, 30)), window);
        Assert.True(window!.Contains(Utc(10, 25, 1, 15)));
    }

    [Fact]
    public void A_night_window_over_the_fall_back_is_an_hour_longer()
    {
        var window = ActiveWindows.Containing(Hours("22:00", "06:00"), Utc(10, 24, 23));

        Assert.Equal(Window(Utc(10, 24, 20), Utc(10, 25, 5)), window);
        Assert.Equal(TimeSpan.FromHours(9), window!.EndUtc - window.StartUtc);
    }

    // America/New_York: UTC-5, UTC-4 from 8 March to 1 November 2026

    [Fact]
    public void Office_hours_in_new_york_follow_its_own_daylight_saving()
    {
        var hours = Hours("09:00", "17:00", NewYork);

        Assert.Equal(Window(Utc(1, 14, 14), Utc(1, 14, 22)), ActiveWindows.Containing(hours, Utc(1, 14, 15)));
        Assert.Equal(Window(Utc(7, 15, 13), Utc(7, 15, 21)), ActiveWindows.Containing(hours, Utc(7, 15, 15)));
        // Between the American and the European change: New York is on summer time already.
        Assert.Equal(Window(Utc(3, 16, 13), Utc(3, 16, 21)), ActiveWindows.Containing(hours, Utc(3, 16, 15)));
    }

    [Fact]
    public void In_new_york_the_local_day_is_behind_utc()
    {
        var hours = Hours("09:00", "17:00", NewYork, WeekDay.Wed);

        // Thursday 15 January, 01:00 UTC is still Wednesday 20:00 in New York: the next Wednesday's window.
        Assert.Null(ActiveWindows.Containing(hours, Utc(1, 15, 1)));
        Assert.Equal(Window(Utc(1, 21, 14), Utc(1, 21, 22)), ActiveWindows.Next(hours, Utc(1, 15, 1)));
    }

    [Fact]
    public void A_start_in_new_york_s_skipped_hour_moves_to_three_o_clock()
    {
        // 8 March 2026: 02:00 EST → 03:00 EDT; 03:00 EDT is 07:00 UTC.
        var hours = Hours("02:30", "10:00", NewYork);

        Assert.Equal(Window(Utc(3, 8, 7), Utc(3, 8, 14)), ActiveWindows.Containing(hours, Utc(3, 8, 8)));
    }

    // Unusable hours

    [Fact]
    public void Usable_hours_parse_into_the_zone_and_the_times()
    {
        Assert.True(ActiveWindows.TryParse(Hours("07:30", "19:45", NewYork), out var zone, out var start, out var end, out var error));

        Assert.Equal(NewYork, zone.Id);
        Assert.Equal(new TimeSpan(7, 30, 0), start);
        Assert.Equal(new TimeSpan(19, 45, 0), end);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Europe/Atlantis")]
    [InlineData("CET+1")]
    public void An_unknown_zone_is_refused_naming_the_field(string zone)
    {
        Assert.False(ActiveWindows.TryParse(Hours("07:00", "19:00", zone), out _, out _, out _, out var error));

        Assert.StartsWith("spec.lifecycle.activeHours.timeZone ", error, StringComparison.Ordinal);
        Assert.Contains($"\"{zone}\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7am")]
    [InlineData("24:00")]
    [InlineData("07:60")]
    [InlineData("0700")]
    [InlineData("")]
    public void A_bad_start_is_refused_naming_the_field(string start)
    {
        Assert.False(ActiveWindows.TryParse(Hours(start, "19:00"), out _, out _, out _, out var error));

        Assert.StartsWith("spec.lifecycle.activeHours.start ", error, StringComparison.Ordinal);
        Assert.Contains($"\"{start}\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7pm")]
    [InlineData("25:00")]
    [InlineData("19:00:00")]
    public void A_bad_end_is_refused_naming_the_field(string end)
    {
        Assert.False(ActiveWindows.TryParse(Hours("07:00", end), out _, out _, out _, out var error));

        Assert.StartsWith("spec.lifecycle.activeHours.end ", error, StringComparison.Ordinal);
        Assert.Contains($"\"{end}\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_start_is_checked_before_the_end_and_the_zone()
    {
        Assert.False(ActiveWindows.TryParse(Hours("late", "later", "Nowhere/Else"), out _, out _, out _, out var error));

        Assert.StartsWith("spec.lifecycle.activeHours.start ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unusable_hours_have_no_windows()
    {
        Assert.Null(ActiveWindows.Containing(Hours("07:00", "19:00", "Nowhere/Else"), Utc(1, 14, 10)));
        Assert.Null(ActiveWindows.Next(Hours("7am", "19:00"), Utc(1, 14, 10)));
    }
}
