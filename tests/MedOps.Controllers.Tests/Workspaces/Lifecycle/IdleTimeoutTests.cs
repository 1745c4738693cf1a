using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Workspaces.Lifecycle;

namespace MedOps.Controllers.Tests.Workspaces.Lifecycle;

/// <summary>The idle timeout: counted from the last logged-in user, never on an unknown activity.</summary>
public sealed class IdleTimeoutTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly WorkspaceLifecycle ThirtyMinutes = new() { IdleTimeout = "30m", ShutdownWarning = "5m" };

    private static ScheduleDecision Decide(DateTime? lastActivity, WorkspaceLifecycle? lifecycle = null, WorkspaceScheduledStop? planned = null) =>
        WorkspaceSchedule.Decide(lifecycle ?? ThirtyMinutes, running: true, sessionStart: Now.AddHours(-2), planned, Now, lastActivity);

    [Fact]
    public void Recent_activity_plans_nothing_but_a_look_before_the_warning()
    {
        var decision = Decide(Now.AddMinutes(-10));

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Null(decision.Planned);
        Assert.Equal(Now.AddMinutes(15), decision.NextCheck);
    }

    [Fact]
    public void Quiet_past_timeout_minus_warning_is_announced_once()
    {
        var decision = Decide(Now.AddMinutes(-27));

        Assert.Equal(ScheduleAction.Warn, decision.Action);
        Assert.Equal((WorkspaceSchedule.Idle, Now.AddMinutes(3)), (decision.Planned!.Reason, decision.Planned.Time));
        Assert.Contains("nobody has been logged in for 30m", decision.Message, StringComparison.Ordinal);
        Assert.Equal(ScheduleAction.None, Decide(Now.AddMinutes(-27), planned: decision.Planned).Action);
    }

    [Fact]
    public void Quiet_for_the_whole_timeout_stops()
    {
        var decision = Decide(Now.AddMinutes(-30));

        Assert.Equal(ScheduleAction.Stop, decision.Action);
        Assert.Equal(WorkspaceSchedule.Idle, decision.Planned!.Reason);
        Assert.True(decision.Planned.Done);
    }

    [Fact]
    public void An_unknown_activity_never_counts_as_idle()
    {
        Assert.Equal(ScheduleAction.None, Decide(lastActivity: null).Action);
        Assert.Null(Decide(lastActivity: null).Planned);
    }

    [Fact]
    public void A_login_during_the_warning_drops_the_announcement()
    {
        var announced = new WorkspaceScheduledStop { Reason = WorkspaceSchedule.Idle, Time = Now.AddMinutes(3) };

        var decision = Decide(Now, planned: announced);

        Assert.Equal(ScheduleAction.None, decision.Action);
        Assert.Null(decision.Planned);
    }

    [Fact]
    public void The_earliest_of_idle_and_the_session_limit_wins()
    {
        var lifecycle = new WorkspaceLifecycle { IdleTimeout = "30m", MaxSessionDuration = "2h1m", ShutdownWarning = "5m" };

        var decision = Decide(Now.AddMinutes(-28), lifecycle);

        Assert.Equal(WorkspaceSchedule.MaxSessionReached, decision.Planned!.Reason);
        Assert.Equal(Now.AddMinutes(1), decision.Planned.Time);
    }

    [Theory]
    [InlineData("4s", 2)]
    [InlineData("30m", 60)]
    [InlineData("2m", 30)]
    public void The_guest_is_polled_a_quarter_of_the_timeout_between_2s_and_a_minute(string idle, int seconds)
    {
        Assert.True(Api.Serialization.GoDuration.TryParse(idle, out var timeout));
        Assert.Equal(TimeSpan.FromSeconds(seconds), WorkspaceLifecycleRunner.IdlePoll(timeout));
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"VirtualMachineInstanceGuestOSUserList","items":[{"userName":"alice"},{"userName":"bob"}]}""", 2)]
    [InlineData("""{"apiVersion":"v1","kind":"VirtualMachineInstanceGuestOSUserList","items":[]}""", 0)]
    [InlineData("""{"apiVersion":"v1","kind":"VirtualMachineInstanceGuestOSUserList"}""", 0)]
    public void The_user_list_counts_its_items(string json, int users)
    {
        Assert.Equal(new GuestActivity(true, users), GuestSessions.Parse(json));
    }

    [Fact]
    public void The_user_list_is_read_from_kubevirts_subresource() =>
        Assert.Equal("apis/subresources.kubevirt.io/v1/namespaces/research/virtualmachineinstances/dr-smith/userlist",
            GuestSessions.UserListPath("research", "dr-smith"));
}
