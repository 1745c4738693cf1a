using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Workspaces.Lifecycle;

namespace MedOps.Controllers.Tests.Workspaces.Lifecycle;

/// <summary>
/// The scheduled shutdown's decisions on a fake clock: the maximum session, the active hours,
/// the warning before each stop, and the automatic start in the next window.
/// </summary>
public class WorkspaceScheduleTests
{
    /// <summary>Wednesday 14 January 2026, 11:00 in Berlin.</summary>
    private static readonly DateTime Now = new(2026, 1, 14, 10, 0, 0, DateTimeKind.Utc);

    /// <summary>07:00-19:00 in Berlin: 06:00-18:00 UTC in January.</summary>
    private static readonly DateTime WindowStart = new(2026, 1, 14, 6, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime WindowEnd = new(2026, 1, 14, 18, 0, 0, DateTimeKind.Utc);

    private static WorkspaceActiveHours OfficeHours(bool startAutomatically = false) => new()
    {
        Start = "07:00",
        End = "19:00",
        TimeZone = "Europe/Berlin",
        StartAutomatically = startAutomatically,
    };

    private static WorkspaceLifecycle Lifecycle(string? maxSession = null, WorkspaceActiveHours? hours = null, string warning = "10m") => new()
    {
        MaxSessionDuration = maxSession,
        ActiveHours = hours,
        ShutdownWarning = warning,
    };

    // A stop the lifecycle made (done) or, with done: false, only announced.
    private static WorkspaceScheduledStop Stop(string reason, DateTime time, bool done = true) => new() { Reason = reason, Time = time, Done = done };

    private static ScheduleDecision Running(WorkspaceLifecycle? lifecycle, DateTime? sessionStart, WorkspaceScheduledStop? planned = null, DateTime? now = null) =>
        WorkspaceSchedule.Decide(lifecycle, running: true, sessionStart, planned, now ?? Now);

    private static ScheduleDecision Stopped(WorkspaceLifecycle? lifecycle, WorkspaceScheduledStop? planned, DateTime? now = null) =>
        WorkspaceSchedule.Decide(lifecycle, running: false, sessionStart: null, planned, now ?? Now);

    private static void AssertPlanned(string reason, DateTime time, WorkspaceScheduledStop? planned)
    {
        Assert.NotNull(planned);
        Assert.Equal((reason, time), (planned.Reason, planned.Time));
    }

    // Without a lifecycle

    [Fact]
    public void Without_a_lifecycle_nothing_is_planned()
    {
        var decision = Running(null, Now.AddHours(-30));

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Null(decision.Planned);
        Assert.Null(decision.NextCheck);
        Assert.Null(decision.Message);
    }

    [Fact]
    public void A_lifecycle_without_a_limit_or_hours_plans_nothing()
    {
        Assert.Equal(ScheduleDecision.Nothing, Running(Lifecycle(), Now.AddHours(-30)));
    }

    // Maximum session

    [Fact]
    public void Before_the_warning_nothing_happens_until_the_warning_is_due()
    {
        var decision = Running(Lifecycle("8h"), Now.AddHours(-1));

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Null(decision.Planned);
        Assert.Equal(Now.AddHours(7).AddMinutes(-10), decision.NextCheck);
    }

    [Fact]
    public void Inside_the_warning_the_stop_is_announced_with_its_reason_and_time()
    {
        var decision = Running(Lifecycle("8h"), Now.AddHours(-8).AddMinutes(5));

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        AssertPlanned(WorkspaceSchedule.MaxSessionReached, Now.AddMinutes(5), decision.Planned);
        Assert.Equal(Now.AddMinutes(5), decision.NextCheck);
        Assert.Equal(
            "the virtual machine stops at 2026-01-14T10:05:00Z: the session reached its maximum of 8h (spec.lifecycle.maxSessionDuration); save your work",
            decision.Message);
    }

    [Fact]
    public void The_warning_begins_exactly_one_warning_period_before_the_stop()
    {
        Assert.Equal(ScheduleAction.Warn, Running(Lifecycle("8h"), Now.AddHours(-8).AddMinutes(10)).Action);
        Assert.Equal(ScheduleAction.None, Running(Lifecycle("8h"), Now.AddHours(-8).AddMinutes(10).AddSeconds(1)).Action);
    }

    [Fact]
    public void An_announced_stop_is_announced_only_once()
    {
        var start = Now.AddHours(-8).AddMinutes(5);
        var first = Running(Lifecycle("8h"), start);

        var again = Running(Lifecycle("8h"), start, first.Planned, Now.AddMinutes(2));

        Assert.Equal(ScheduleAction.None, again.Action);
        AssertPlanned(WorkspaceSchedule.MaxSessionReached, Now.AddMinutes(5), again.Planned);
        Assert.Equal(Now.AddMinutes(5), again.NextCheck);
    }

    [Fact]
    public void A_planned_stop_that_moved_is_announced_again()
    {
        // The limit went from 8h to 8h02m during the warning.
        var start = Now.AddHours(-8).AddMinutes(5);

        var decision = Running(Lifecycle("8h2m"), start, Stop(WorkspaceSchedule.MaxSessionReached, Now.AddMinutes(5)));

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        AssertPlanned(WorkspaceSchedule.MaxSessionReached, Now.AddMinutes(7), decision.Planned);
    }

    [Fact]
    public void A_limit_raised_beyond_the_warning_drops_the_announcement()
    {
        var start = Now.AddHours(-8).AddMinutes(5);

        var decision = Running(Lifecycle("12h"), start, Stop(WorkspaceSchedule.MaxSessionReached, Now.AddMinutes(5)));

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Null(decision.Planned);
        Assert.Equal(start.AddHours(12).AddMinutes(-10), decision.NextCheck);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(90)]
    public void At_or_after_the_limit_the_workspace_is_stopped_now(int minutesLate)
    {
        var start = Now.AddHours(-8).AddMinutes(-minutesLate);

        var decision = Running(Lifecycle("8h"), start, Stop(WorkspaceSchedule.MaxSessionReached, start.AddHours(8)));

        Assert.Equal(ScheduleAction.Stop, decision.Action);
        AssertPlanned(WorkspaceSchedule.MaxSessionReached, Now, decision.Planned);
        Assert.Null(decision.NextCheck);
        Assert.Equal(
            "stopped the virtual machine: the session reached its maximum of 8h (spec.lifecycle.maxSessionDuration); set running: true to start it again",
            decision.Message);
    }

    [Fact]
    public void A_session_past_its_limit_is_stopped_even_if_it_was_never_announced()
    {
        var decision = Running(Lifecycle("8h"), Now.AddHours(-9));

        Assert.Equal(ScheduleAction.Stop, decision.Action);
        AssertPlanned(WorkspaceSchedule.MaxSessionReached, Now, decision.Planned);
    }

    [Fact]
    public void A_workspace_still_starting_has_no_session_to_limit()
    {
        Assert.Equal(ScheduleDecision.Nothing, Running(Lifecycle("8h"), sessionStart: null));
    }

    [Fact]
    public void A_limit_of_hours_and_minutes_is_counted_exactly()
    {
        var decision = Running(Lifecycle("12h30m"), Now.AddHours(-1));

        Assert.Equal(Now.AddHours(11).AddMinutes(20), decision.NextCheck);
    }

    // Active hours

    [Fact]
    public void Inside_the_hours_the_next_look_is_a_warning_before_the_window_ends()
    {
        var decision = Running(Lifecycle(hours: OfficeHours()), Now.AddHours(-2));

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Null(decision.Planned);
        Assert.Equal(WindowEnd.AddMinutes(-10), decision.NextCheck);
    }

    [Fact]
    public void Five_minutes_before_the_window_ends_the_stop_is_announced()
    {
        var decision = Running(Lifecycle(hours: OfficeHours()), WindowStart, now: WindowEnd.AddMinutes(-5));

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, WindowEnd, decision.Planned);
        Assert.Equal(WindowEnd, decision.NextCheck);
        Assert.Equal(
            "the virtual machine stops at 2026-01-14T18:00:00Z: outside the active hours 07:00-19:00 Europe/Berlin (spec.lifecycle.activeHours); save your work",
            decision.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void When_the_announced_window_end_has_come_the_workspace_is_stopped(int minutesLate)
    {
        var now = WindowEnd.AddMinutes(minutesLate);

        var decision = Running(Lifecycle(hours: OfficeHours()), WindowStart, Stop(WorkspaceSchedule.OutsideActiveHours, WindowEnd, done: false), now);

        Assert.Equal(ScheduleAction.Stop, decision.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, now, decision.Planned);
        Assert.Equal(
            "stopped the virtual machine: outside the active hours 07:00-19:00 Europe/Berlin (spec.lifecycle.activeHours); set running: true to start it again",
            decision.Message);
    }

    [Fact]
    public void A_workspace_found_running_after_the_window_without_an_announcement_is_warned_first()
    {
        var now = WindowEnd.AddMinutes(30);

        var decision = Running(Lifecycle(hours: OfficeHours()), WindowStart, planned: null, now);

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, now.AddMinutes(10), decision.Planned);
    }

    [Fact]
    public void A_workspace_started_outside_the_hours_is_warned_now_and_stopped_after_the_warning()
    {
        // 21:00 in Berlin.
        var started = new DateTime(2026, 1, 14, 20, 0, 0, DateTimeKind.Utc);
        var lifecycle = Lifecycle(hours: OfficeHours());

        var warned = Running(lifecycle, started, planned: null, started);
        Assert.Equal(ScheduleAction.Warn, warned.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, started.AddMinutes(10), warned.Planned);
        Assert.Equal(started.AddMinutes(10), warned.NextCheck);

        var waiting = Running(lifecycle, started, warned.Planned, started.AddMinutes(4));
        Assert.Equal(ScheduleAction.None, waiting.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, started.AddMinutes(10), waiting.Planned);
        Assert.Equal(started.AddMinutes(10), waiting.NextCheck);

        var stopped = Running(lifecycle, started, warned.Planned, started.AddMinutes(10));
        Assert.Equal(ScheduleAction.Stop, stopped.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, started.AddMinutes(10), stopped.Planned);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(45)]
    public void An_announced_stop_outside_the_hours_found_late_is_made_without_a_new_warning(int minutesLate)
    {
        // The pass that should have stopped it comes late (longer than the warning itself):
        // the stop was announced, so it is made now instead of being announced again.
        var started = new DateTime(2026, 1, 14, 20, 0, 0, DateTimeKind.Utc);
        var lifecycle = Lifecycle(hours: OfficeHours());
        var warned = Running(lifecycle, started, planned: null, started);

        var late = Running(lifecycle, started, warned.Planned, started.AddMinutes(10 + minutesLate));

        Assert.Equal(ScheduleAction.Stop, late.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, started.AddMinutes(10 + minutesLate), late.Planned);
    }

    [Fact]
    public void A_workspace_started_outside_the_hours_gets_the_warning_even_before_its_session_begins()
    {
        var started = new DateTime(2026, 1, 14, 20, 0, 0, DateTimeKind.Utc);

        var decision = Running(Lifecycle(hours: OfficeHours()), sessionStart: null, planned: null, started);

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, started.AddMinutes(10), decision.Planned);
    }

    [Fact]
    public void A_night_window_is_announced_before_its_end_in_the_morning()
    {
        var lifecycle = Lifecycle(hours: new WorkspaceActiveHours { Start = "22:00", End = "06:00", TimeZone = "Europe/Berlin" });

        // Thursday 04:00 in Berlin, in Wednesday's window that ends at 06:00 (05:00 UTC).
        var decision = Running(lifecycle, new DateTime(2026, 1, 14, 21, 0, 0, DateTimeKind.Utc), now: new DateTime(2026, 1, 15, 3, 0, 0, DateTimeKind.Utc));

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Equal(new DateTime(2026, 1, 15, 4, 50, 0, DateTimeKind.Utc), decision.NextCheck);
    }

    [Fact]
    public void Unusable_hours_are_left_to_the_validator_and_stop_nothing()
    {
        var lifecycle = Lifecycle(hours: new WorkspaceActiveHours { Start = "07:00", End = "19:00", TimeZone = "Nowhere/Else" });

        Assert.Equal(ScheduleDecision.Nothing, Running(lifecycle, Now.AddHours(-1), now: Now.AddHours(12)));
    }

    // Both

    [Fact]
    public void The_session_limit_wins_when_it_comes_before_the_window_ends()
    {
        // Started at 07:00 UTC with 4h: 11:00 UTC, before 18:00.
        var decision = Running(Lifecycle("4h", OfficeHours()), Now.AddHours(-3), now: Now.AddMinutes(55));

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        AssertPlanned(WorkspaceSchedule.MaxSessionReached, Now.AddHours(1), decision.Planned);
    }

    [Fact]
    public void The_window_end_wins_when_it_comes_before_the_session_limit()
    {
        // Started at 09:00 UTC with 12h: 21:00 UTC, after 18:00.
        var decision = Running(Lifecycle("12h", OfficeHours()), Now.AddHours(-1), now: WindowEnd.AddMinutes(-5));

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, WindowEnd, decision.Planned);
    }

    [Fact]
    public void The_next_look_is_at_the_earlier_of_the_two_warnings()
    {
        Assert.Equal(Now.AddHours(1).AddMinutes(-10), Running(Lifecycle("4h", OfficeHours()), Now.AddHours(-3)).NextCheck);
        Assert.Equal(WindowEnd.AddMinutes(-10), Running(Lifecycle("12h", OfficeHours()), Now.AddHours(-1)).NextCheck);
    }

    [Fact]
    public void A_session_limit_that_passed_stops_even_inside_the_hours()
    {
        var decision = Running(Lifecycle("4h", OfficeHours()), Now.AddHours(-4));

        Assert.Equal(ScheduleAction.Stop, decision.Action);
        AssertPlanned(WorkspaceSchedule.MaxSessionReached, Now, decision.Planned);
    }

    // While stopped

    [Fact]
    public void A_workspace_stopped_outside_its_hours_starts_automatically_once_the_next_window_has_begun()
    {
        var lifecycle = Lifecycle(hours: OfficeHours(startAutomatically: true));
        var stop = Stop(WorkspaceSchedule.OutsideActiveHours, WindowEnd);

        // Thursday 07:30 in Berlin.
        var decision = Stopped(lifecycle, stop, new DateTime(2026, 1, 15, 6, 30, 0, DateTimeKind.Utc));

        Assert.Equal(ScheduleAction.Start, decision.Action);
        Assert.Null(decision.Planned);
        Assert.Null(decision.NextCheck);
        Assert.Equal("the active hours began: starting the virtual machine (startAutomatically)", decision.Message);
    }

    [Fact]
    public void Before_the_next_window_a_stopped_workspace_waits_for_its_start()
    {
        var lifecycle = Lifecycle(hours: OfficeHours(startAutomatically: true));
        var stop = Stop(WorkspaceSchedule.OutsideActiveHours, WindowEnd);

        var decision = Stopped(lifecycle, stop, new DateTime(2026, 1, 15, 5, 0, 0, DateTimeKind.Utc));

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Same(stop, decision.Planned);
        Assert.Equal(new DateTime(2026, 1, 15, 6, 0, 0, DateTimeKind.Utc), decision.NextCheck);
    }

    [Fact]
    public void A_stop_in_the_evening_waits_for_the_next_morning_not_the_window_it_ended()
    {
        var lifecycle = Lifecycle(hours: OfficeHours(startAutomatically: true));

        var decision = Stopped(lifecycle, Stop(WorkspaceSchedule.OutsideActiveHours, WindowEnd), WindowEnd.AddMinutes(1));

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Equal(new DateTime(2026, 1, 15, 6, 0, 0, DateTimeKind.Utc), decision.NextCheck);
    }

    [Fact]
    public void A_workspace_started_out_of_hours_and_stopped_starts_in_the_next_window()
    {
        var lifecycle = Lifecycle(hours: OfficeHours(startAutomatically: true));
        var stop = Stop(WorkspaceSchedule.OutsideActiveHours, new DateTime(2026, 1, 14, 20, 10, 0, DateTimeKind.Utc));

        Assert.Equal(ScheduleAction.Start, Stopped(lifecycle, stop, new DateTime(2026, 1, 15, 6, 0, 0, DateTimeKind.Utc)).Action);
    }

    [Fact]
    public void Without_start_automatically_a_stopped_workspace_stays_stopped()
    {
        var stop = Stop(WorkspaceSchedule.OutsideActiveHours, WindowEnd);

        var decision = Stopped(Lifecycle(hours: OfficeHours()), stop, new DateTime(2026, 1, 15, 6, 30, 0, DateTimeKind.Utc));

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Same(stop, decision.Planned);
        Assert.Null(decision.NextCheck);
    }

    [Fact]
    public void A_workspace_stopped_by_its_session_limit_never_starts_automatically()
    {
        var stop = Stop(WorkspaceSchedule.MaxSessionReached, WindowStart.AddHours(-2));

        var decision = Stopped(Lifecycle("8h", OfficeHours(startAutomatically: true)), stop);

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Same(stop, decision.Planned);
        Assert.Null(decision.NextCheck);
    }

    [Fact]
    public void A_workspace_stopped_without_a_schedule_stop_is_left_alone()
    {
        Assert.Equal(ScheduleDecision.Nothing, Stopped(Lifecycle("8h", OfficeHours(startAutomatically: true)), planned: null));
    }

    [Fact]
    public void A_stopped_workspace_keeps_its_stop_when_the_lifecycle_is_removed()
    {
        var stop = Stop(WorkspaceSchedule.MaxSessionReached, Now.AddHours(-1));

        var decision = Stopped(null, stop);

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Same(stop, decision.Planned);
    }

    [Fact]
    public void A_workspace_its_user_stopped_before_the_announced_stop_drops_the_announcement()
    {
        // Announced for 18:00; at 17:55 the user sets running: false. The schedule did not stop
        // it: scheduledStop must not stay, or once 18:00 has passed the status says "stopped by
        // spec.lifecycle since 18:00" and startAutomatically starts it the next morning.
        var decision = Stopped(Lifecycle(hours: OfficeHours(startAutomatically: true)), Stop(WorkspaceSchedule.OutsideActiveHours, WindowEnd, done: false), WindowEnd.AddMinutes(-5));

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Null(decision.Planned);
    }

    // A user's restart

    [Fact]
    public void A_user_restart_after_the_session_limit_starts_a_new_session_without_the_old_stop()
    {
        var stop = Stop(WorkspaceSchedule.MaxSessionReached, Now.AddHours(-1));

        var decision = Running(Lifecycle("8h"), Now.AddMinutes(-10), stop);

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Null(decision.Planned);
        Assert.Equal(Now.AddHours(8).AddMinutes(-20), decision.NextCheck);
    }

    [Fact]
    public void A_user_restart_while_the_vm_is_still_starting_drops_the_old_stop()
    {
        var decision = Running(Lifecycle("8h"), sessionStart: null, Stop(WorkspaceSchedule.MaxSessionReached, Now.AddHours(-1)));

        Assert.Null(decision.Planned);
        Assert.Equal(ScheduleAction.None, decision.Action);
    }

    [Fact]
    public void A_user_restart_inside_the_hours_drops_yesterday_s_stop()
    {
        var stop = Stop(WorkspaceSchedule.OutsideActiveHours, WindowEnd.AddDays(-1));

        var decision = Running(Lifecycle(hours: OfficeHours()), Now.AddMinutes(-5), stop);

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Null(decision.Planned);
        Assert.Equal(WindowEnd.AddMinutes(-10), decision.NextCheck);
    }

    [Fact]
    public void A_user_restart_outside_the_hours_long_after_the_stop_gets_a_full_warning()
    {
        var now = WindowEnd.AddHours(2);

        var decision = Running(Lifecycle(hours: OfficeHours()), sessionStart: null, Stop(WorkspaceSchedule.OutsideActiveHours, WindowEnd), now);

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, now.AddMinutes(10), decision.Planned);
    }

    [Fact]
    public void A_user_restart_outside_the_hours_soon_after_the_stop_gets_a_full_warning_too()
    {
        // Stopped at 18:00 by the schedule; the user sets running: true again at 18:02. A
        // workspace started outside its hours runs shutdownWarning (10m) before it is stopped:
        // the stop made at 18:00 is not a stop announced for now.
        var now = WindowEnd.AddMinutes(2);

        var decision = Running(Lifecycle(hours: OfficeHours()), sessionStart: null, Stop(WorkspaceSchedule.OutsideActiveHours, WindowEnd), now);

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, now.AddMinutes(10), decision.Planned);
    }

    // The warning period

    [Fact]
    public void A_warning_of_zero_stops_without_an_announcement()
    {
        var lifecycle = Lifecycle("8h", warning: "0s");
        var start = Now.AddHours(-8).AddMinutes(5);

        var before = Running(lifecycle, start);
        Assert.Equal(ScheduleAction.None, before.Action);
        Assert.Null(before.Planned);
        Assert.Equal(Now.AddMinutes(5), before.NextCheck);

        var at = Running(lifecycle, start, now: Now.AddMinutes(5));
        Assert.Equal(ScheduleAction.Stop, at.Action);
        AssertPlanned(WorkspaceSchedule.MaxSessionReached, Now.AddMinutes(5), at.Planned);
    }

    [Fact]
    public void A_warning_of_zero_stops_a_workspace_started_outside_the_hours_at_once()
    {
        var now = WindowEnd.AddHours(2);

        var decision = Running(Lifecycle(hours: OfficeHours(), warning: "0s"), null, now: now);

        Assert.Equal(ScheduleAction.Stop, decision.Action);
        AssertPlanned(WorkspaceSchedule.OutsideActiveHours, now, decision.Planned);
    }

    [Fact]
    public void A_longer_warning_announces_earlier()
    {
        var decision = Running(Lifecycle("8h", warning: "30m"), Now.AddHours(-8).AddMinutes(20));

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        AssertPlanned(WorkspaceSchedule.MaxSessionReached, Now.AddMinutes(20), decision.Planned);
        Assert.Equal(Now.AddHours(7).AddMinutes(-30), Running(Lifecycle("8h", warning: "30m"), Now.AddHours(-1)).NextCheck);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("")]
    [InlineData("-5m")]
    public void An_unusable_warning_falls_back_to_ten_minutes(string warning)
    {
        Assert.Equal(Now.AddHours(7).AddMinutes(-10), Running(Lifecycle("8h", warning: warning), Now.AddHours(-1)).NextCheck);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("-1h")]
    [InlineData("eight hours")]
    public void An_unusable_session_limit_stops_nothing(string maxSession)
    {
        Assert.Equal(ScheduleDecision.Nothing, Running(Lifecycle(maxSession), Now.AddHours(-30)));
    }
}
