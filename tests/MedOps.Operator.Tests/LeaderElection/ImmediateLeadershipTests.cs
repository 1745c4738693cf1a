using MedOps.Operator.LeaderElection;

namespace MedOps.Operator.Tests.LeaderElection;

public sealed class ImmediateLeadershipTests
{
    [Fact]
    public async Task Without_leader_election_work_runs_at_once_and_a_stop_is_not_an_error()
    {
        var leadership = new ImmediateLeadership();
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();

        var running = leadership.RunWhileLeadingAsync(token =>
        {
            started.SetResult();
            return Task.Delay(Timeout.Infinite, token);
        }, stop.Token);

        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(leadership.IsLeader);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
