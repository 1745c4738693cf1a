using MedOps.Api.V1Alpha1;
using MedOps.Runtime;
using MedOps.Runtime.Api;

namespace MedOps.Controllers.Workspaces.Lifecycle;

/// <summary>
/// The Workspace reconciler's lifecycle step: reads the guest's activity when an idle timeout
/// needs it, asks <see cref="WorkspaceSchedule"/> what to do, and does it (a Warning event, or
/// <c>spec.running</c> flipped). The decisions themselves are pure; this class is their I/O.
/// </summary>
public sealed class WorkspaceLifecycleRunner(Manager manager, ControllerSettings settings, TimeProvider time)
{
    private readonly GuestSessions sessions = new(manager.Api);

    /// <summary>
    /// The lifecycle's decision, on the session <paramref name="status"/> records (it sets
    /// <c>lastActivityTime</c> there).
    /// </summary>
    // The lifecycle's decision, on the session the new status records. With an idle timeout and
    // a running guest, the guest agent's user list is read on every pass, and the pass comes back
    // every IdlePoll: a logged-in user moves lastActivityTime (at most once per poll, so an active
    // workspace costs one status write per poll, not per pass).
    public async Task<ScheduleDecision> DecideAsync(V1Alpha1Workspace workspace, V1Alpha1WorkspaceStatus status, CancellationToken cancellationToken)
    {
        var lifecycle = workspace.Spec.Lifecycle ?? settings.DefaultWorkspaceLifecycle;
        var now = time.GetUtcNow().UtcDateTime;
        DateTime? lastActivity = null;
        TimeSpan? poll = null;
        if (lifecycle?.IdleTimeout is { } text && Api.Serialization.GoDuration.TryParse(text, out var idle) && idle > TimeSpan.Zero
            && workspace.Spec.Running && status.Phase == WorkspacePhase.Running && status.SessionStartTime is { } started)
        {
            poll = IdlePoll(idle);
            var previous = workspace.Status?.LastActivityTime is { } seen && seen >= started ? seen : started;
            var activity = await sessions.ReadAsync(workspace.Metadata.NamespaceProperty, workspace.Metadata.Name, cancellationToken);
            status.LastActivityTime = activity is { Known: true, Users: > 0 } && now - previous >= poll ? now : previous;
            lastActivity = activity.Known ? status.LastActivityTime : null;
        }
        else
        {
            status.LastActivityTime = lifecycle?.IdleTimeout is null ? null : workspace.Status?.LastActivityTime;
        }
        var decision = WorkspaceSchedule.Decide(lifecycle, workspace.Spec.Running, status.SessionStartTime, workspace.Status?.ScheduledStop, now, lastActivity);
        if (poll is { } every && (decision.NextCheck is not { } next || next > now + every))
        {
            decision = decision with { NextCheck = now + every };
        }
        return decision;
    }

    /// <summary>How often an idle timeout looks at the guest: a quarter of the timeout, between 2 s and 1 min.</summary>
    internal static TimeSpan IdlePoll(TimeSpan idleTimeout) =>
        TimeSpan.FromTicks(Math.Clamp(idleTimeout.Ticks / 4, TimeSpan.FromSeconds(2).Ticks, TimeSpan.FromMinutes(1).Ticks));

    /// <summary>Records the announcement, or flips <c>spec.running</c>, as <paramref name="schedule"/> says.</summary>
    // Announces a stop, or flips spec.running: the workspace's own field, so the user (or the
    // schedule, with startAutomatically) starts it again the usual way. The flip comes back as
    // an update of the workspace, which applies the VM's runStrategy.
    public async Task ActAsync(V1Alpha1Workspace workspace, ScheduleDecision schedule, CancellationToken cancellationToken)
    {
        switch (schedule.Action)
        {
            case ScheduleAction.Warn:
                manager.Events.Warning(workspace, WorkspaceReasons.ShutdownScheduled, schedule.Message!);
                break;
            case ScheduleAction.Stop or ScheduleAction.Start:
                var running = schedule.Action == ScheduleAction.Start;
                // No resourceVersion: the status was just written (a new version), and the one
                // field set is the decision itself, which a concurrent edit cannot make stale.
                var patch = new System.Text.Json.Nodes.JsonObject
                {
                    ["spec"] = new System.Text.Json.Nodes.JsonObject { ["running"] = running },
                }.ToJsonString();
                await manager.Api.MergePatchAsync<System.Text.Json.JsonElement>(ResourceType.For<V1Alpha1Workspace>(),
                    workspace.Metadata.NamespaceProperty, workspace.Metadata.Name, patch, cancellationToken: cancellationToken);
                manager.Events.Normal(workspace, running ? WorkspaceReasons.StartedBySchedule : schedule.Planned!.Reason, schedule.Message!);
                break;
        }
    }
}
