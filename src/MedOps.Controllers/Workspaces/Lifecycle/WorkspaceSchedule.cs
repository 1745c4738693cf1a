using System.Globalization;
using MedOps.Api.Serialization;
using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Workspaces.Lifecycle;

/// <summary>What the lifecycle does now.</summary>
public enum ScheduleAction
{
    /// <summary>Nothing now (look again at <see cref="ScheduleDecision.NextCheck"/>).</summary>
    None,

    /// <summary>Announce the stop at <see cref="ScheduleDecision.Planned"/> with a Warning event.</summary>
    Warn,

    /// <summary>Stop now: set <c>running: false</c>.</summary>
    Stop,

    /// <summary>Start now: set <c>running: true</c> (a schedule stop, with startAutomatically, in a new window).</summary>
    Start,
}

/// <summary>The lifecycle's decision, the <c>status.scheduledStop</c> to write, and when to look again.</summary>
public sealed record ScheduleDecision(ScheduleAction Action, WorkspaceScheduledStop? Planned, DateTime? NextCheck, string? Message)
{
    /// <summary>No lifecycle, nothing planned.</summary>
    public static ScheduleDecision Nothing { get; } = new(ScheduleAction.None, null, null, null);
}

/// <summary>
/// Scheduled shutdown of a workspace, decided on the clock: the maximum session length (from
/// <c>status.sessionStartTime</c>) and active hours, each announced <c>shutdownWarning</c>
/// before; a workspace found running outside its hours is announced now and stopped after the
/// warning. Pure, so every case (time zones, daylight-saving days, windows across midnight) is
/// unit-tested on a fake clock.
/// </summary>
public static class WorkspaceSchedule
{
    /// <summary>The stop reason of a session that reached <c>maxSessionDuration</c>.</summary>
    public const string MaxSessionReached = "MaxSessionReached";

    /// <summary>The stop reason of a workspace outside its active hours.</summary>
    public const string OutsideActiveHours = "OutsideActiveHours";

    /// <summary>The stop reason of a workspace nobody was logged in to for its idle timeout.</summary>
    public const string Idle = "Idle";

    /// <summary>
    /// Decides for a workspace whose spec asks <paramref name="running"/>. <paramref name="lastActivity"/>
    /// is when someone was last logged in, or null when that is not known (no guest agent): only a
    /// known quiet counts as idle.
    /// </summary>
    public static ScheduleDecision Decide(WorkspaceLifecycle? lifecycle, bool running, DateTime? sessionStart, WorkspaceScheduledStop? planned, DateTime nowUtc,
        DateTime? lastActivity = null)
    {
        // A stop that was made belongs to the stopped workspace: once someone sets running: true
        // again it is history. An announced stop belongs to the running one: if someone stops
        // the workspace first, it is moot.
        planned = planned switch
        {
            { Done: true } when running => null,
            { Done: false } when !running => null,
            _ => planned,
        };
        if (lifecycle is null)
        {
            return new ScheduleDecision(ScheduleAction.None, running ? null : planned, null, null);
        }
        var warning = GoDuration.TryParse(lifecycle.ShutdownWarning, out var w) && w >= TimeSpan.Zero ? w : TimeSpan.FromMinutes(10);
        return running
            ? WhileRunning(lifecycle, sessionStart, lastActivity, planned, nowUtc, warning)
            : WhileStopped(lifecycle, planned, nowUtc);
    }

    private static ScheduleDecision WhileRunning(WorkspaceLifecycle lifecycle, DateTime? sessionStart, DateTime? lastActivity, WorkspaceScheduledStop? planned, DateTime now, TimeSpan warning)
    {
        var stops = new List<(string Reason, DateTime At)>();
        if (lastActivity is { } seen && GoDuration.TryParse(lifecycle.IdleTimeout ?? "", out var idle) && idle > TimeSpan.Zero)
        {
            stops.Add((Idle, seen + idle));
        }
        if (sessionStart is { } started && GoDuration.TryParse(lifecycle.MaxSessionDuration ?? "", out var max) && max > TimeSpan.Zero)
        {
            stops.Add((MaxSessionReached, started + max));
        }
        if (lifecycle.ActiveHours is { } hours && ActiveWindows.TryParse(hours, out _, out _, out _, out _))
        {
            if (ActiveWindows.Containing(hours, now) is { } window)
            {
                stops.Add((OutsideActiveHours, window.EndUtc));
            }
            else
            {
                // Running outside the hours (started there, or the hours changed): announced now,
                // stopped once the warning has run out, as it would at the end of a window. A stop
                // already announced is kept however late this pass comes (a busy operator, a short
                // warning): the warning was given, and announcing it anew would push the stop back
                // on every late pass.
                var at = planned is { Reason: OutsideActiveHours } p && p.Time <= now + warning ? p.Time : now + warning;
                stops.Add((OutsideActiveHours, at));
            }
        }
        if (stops.Count == 0)
        {
            return ScheduleDecision.Nothing;
        }

        var (reason, stopAt) = stops.MinBy(s => s.At);
        if (stopAt <= now)
        {
            return new ScheduleDecision(ScheduleAction.Stop, new WorkspaceScheduledStop { Reason = reason, Time = now, Done = true }, null,
                $"stopped the virtual machine: {Why(reason, lifecycle)}; set running: true to start it again");
        }
        if (stopAt - warning > now)
        {
            return new ScheduleDecision(ScheduleAction.None, null, stopAt - warning, null);
        }
        var announced = new WorkspaceScheduledStop { Reason = reason, Time = stopAt };
        var already = planned is not null && planned.Reason == reason && planned.Time == stopAt;
        return new ScheduleDecision(already ? ScheduleAction.None : ScheduleAction.Warn, announced, stopAt,
            string.Create(CultureInfo.InvariantCulture, $"the virtual machine stops at {stopAt:yyyy-MM-ddTHH:mm:ssZ}: {Why(reason, lifecycle)}; save your work"));
    }

    private static ScheduleDecision WhileStopped(WorkspaceLifecycle lifecycle, WorkspaceScheduledStop? planned, DateTime now)
    {
        if (planned is not { Reason: OutsideActiveHours } stop || stop.Time > now
            || lifecycle.ActiveHours is not { StartAutomatically: true } hours)
        {
            return new ScheduleDecision(ScheduleAction.None, planned, null, null);
        }
        if (ActiveWindows.Containing(hours, now) is { } window && window.StartUtc > stop.Time)
        {
            return new ScheduleDecision(ScheduleAction.Start, null, null, "the active hours began: starting the virtual machine (startAutomatically)");
        }
        return new ScheduleDecision(ScheduleAction.None, planned, ActiveWindows.Next(hours, now)?.StartUtc, null);
    }

    private static string Why(string reason, WorkspaceLifecycle lifecycle) => reason switch
    {
        Idle => $"nobody has been logged in for {lifecycle.IdleTimeout} (spec.lifecycle.idleTimeout)",
        MaxSessionReached => $"the session reached its maximum of {lifecycle.MaxSessionDuration} (spec.lifecycle.maxSessionDuration)",
        _ => $"outside the active hours {lifecycle.ActiveHours?.Start}-{lifecycle.ActiveHours?.End} {lifecycle.ActiveHours?.TimeZone} (spec.lifecycle.activeHours)",
    };
}
