using System.Globalization;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Workspaces;

/// <summary>
/// Scheduled shutdown on the local cluster (simulated KubeVirt), with short durations so the
/// test waits seconds: a session that reaches its maximum and a workspace outside its active
/// hours are each warned, stopped (<c>running: false</c>, Ready with the reason), and start
/// again when someone sets <c>running: true</c>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkspaceScheduleTests(LocalCluster cluster)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_session_past_its_maximum_is_warned_then_stopped_and_starts_again_when_asked()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-session");
        var manifest = bed.Workspace("session").With("spec.lifecycle", """{"maxSessionDuration": "8s", "shutdownWarning": "4s"}""");
        await bed.ApplyOkAsync(manifest);
        var running = await bed.WaitPhaseAsync("session", WorkspacePhase.Running, ready: true);
        Assert.NotNull(running.Status!.SessionStartTime);

        var stopped = await bed.WaitAsync("session", w => !w.Spec.Running && w.Status?.Phase == WorkspacePhase.Stopped
            && Conditions.Find(w.Status.Conditions, ConditionTypes.Ready) is { Status: "True", Reason: "MaxSessionReached" },
            "the session to be stopped for reaching its maximum", StopTimeout);
        Assert.Contains("stopped by spec.lifecycle since", Conditions.Find(stopped.Status!.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        Assert.Equal("MaxSessionReached", stopped.Status.ScheduledStop?.Reason);
        Assert.Null(stopped.Status.SessionStartTime);
        Assert.NotEmpty(await bed.WaitForEventsAsync("session", "ShutdownScheduled"));
        Assert.NotEmpty(await bed.WaitForEventsAsync("session", "MaxSessionReached"));
        var wait = await bed.KubectlAsync("wait", "--for=condition=Ready", "workspace/session", "--timeout=5s");
        Assert.True(wait.ExitCode == 0, "kubectl wait on the stopped workspace:\n" + wait.Output);

        // The user starts it again: a new session, with its own clock.
        var start = await bed.KubectlAsync("patch", "workspace", "session", "--type=merge", "-p", """{"spec":{"running":true}}""");
        Assert.True(start.ExitCode == 0, start.Output);
        var again = await bed.WaitPhaseAsync("session", WorkspacePhase.Running, ready: true);
        Assert.NotNull(again.Status!.SessionStartTime);
        Assert.Null(again.Status.ScheduledStop);
    }

    [Fact]
    public async Task An_idle_workspace_is_warned_and_stopped_while_one_with_a_logged_in_user_keeps_running()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-idle");
        // The simulated guest agent reports the users of the VM's annotation sim.medops.io/guest-users,
        // through KubeVirt's userlist subresource (the simulator's virt-api behind an APIService).
        var lifecycle = """{"idleTimeout": "8s", "shutdownWarning": "4s"}""";
        await bed.ApplyOkAsync(bed.Workspace("busy").With("spec.lifecycle", lifecycle));
        await bed.ApplyOkAsync(bed.Workspace("quiet").With("spec.lifecycle", lifecycle));
        await bed.WaitPhaseAsync("busy", WorkspacePhase.Running, ready: true);
        var login = await bed.KubectlAsync("annotate", "virtualmachine", "busy", "sim.medops.io/guest-users=dr.smith", "--overwrite");
        Assert.True(login.ExitCode == 0, login.Output);

        var stopped = await bed.WaitAsync("quiet", w => !w.Spec.Running && w.Status?.Phase == WorkspacePhase.Stopped
            && Conditions.Find(w.Status.Conditions, ConditionTypes.Ready) is { Status: "True", Reason: "Idle" },
            "the idle workspace to be stopped", StopTimeout);
        Assert.NotNull(stopped.Status!.LastActivityTime);
        await bed.WaitForEventsAsync("quiet", "ShutdownScheduled", e => e.Message.Contains("nobody has been logged in for 8s", StringComparison.Ordinal),
            "the ShutdownScheduled event to say nobody has been logged in for 8s");

        // The busy one has been running past its idle timeout all along, with its user logged in.
        var busy = await bed.GetAsync("busy");
        Assert.True(busy.Spec.Running, "the workspace with a logged-in user was stopped");
        Assert.Equal(WorkspacePhase.Running, busy.Status!.Phase);
        Assert.True(busy.Status.LastActivityTime > busy.Status.SessionStartTime, "lastActivityTime follows the logged-in user");

        // Started again when asked.
        var start = await bed.KubectlAsync("patch", "workspace", "quiet", "--type=merge", "-p", """{"spec":{"running":true}}""");
        Assert.True(start.ExitCode == 0, start.Output);
        await bed.WaitPhaseAsync("quiet", WorkspacePhase.Running, ready: true);
    }

    [Fact]
    public async Task A_workspace_outside_its_active_hours_is_stopped()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-hours");
        // A one-hour window that starts two hours from now: now is outside it.
        var from = DateTime.UtcNow.AddHours(2);
        var window = string.Create(CultureInfo.InvariantCulture, $"\"start\": \"{from:HH}:00\", \"end\": \"{from.AddHours(1):HH}:00\", \"timeZone\": \"UTC\"");
        var hours = "{\"shutdownWarning\": \"3s\", \"activeHours\": {" + window + "}}";
        await bed.ApplyOkAsync(bed.Workspace("hours").With("spec.lifecycle", hours));

        var stopped = await bed.WaitAsync("hours", w => !w.Spec.Running && w.Status?.Phase == WorkspacePhase.Stopped
            && Conditions.Find(w.Status.Conditions, ConditionTypes.Ready) is { Status: "True", Reason: "OutsideActiveHours" },
            "the workspace to be stopped outside its active hours", StopTimeout);
        Assert.Equal("OutsideActiveHours", stopped.Status!.ScheduledStop?.Reason);
        await bed.WaitForEventsAsync("hours", "ShutdownScheduled", e => e.Type == "Warning" && e.Message.Contains("outside the active hours", StringComparison.Ordinal),
            "a Warning ShutdownScheduled event saying the workspace is outside the active hours");
    }
}
