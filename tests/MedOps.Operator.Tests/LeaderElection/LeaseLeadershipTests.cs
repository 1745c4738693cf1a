using k8s.Models;
using MedOps.Operator.LeaderElection;
using MedOps.Operator.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Operator.Tests.LeaderElection;

public sealed class LeaseLeadershipTests : IDisposable
{
    // 5× faster than the defaults, with a renew deadline that tolerates a stalled test machine.
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(200);
    private readonly string leaseName = $"lease-{Guid.NewGuid():N}";
    private readonly FakeLeaseStore store = new();
    private readonly GaugeRecorder gauge;
    private readonly LeaseLeadership leadership;

    public LeaseLeadershipTests()
    {
        gauge = new GaugeRecorder(leaseName);
        var settings = new LeaderElectionSettings("default", leaseName, "me", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), RetryPeriod);
        var elector = new LeaseElector(store, settings, TimeProvider.System, NullLogger<LeaseElector>.Instance);
        leadership = new LeaseLeadership(elector, settings, NullLogger<LeaseLeadership>.Instance);
    }

    public void Dispose() => gauge.Dispose();

    [Fact]
    public async Task Work_starts_only_once_the_lease_is_held()
    {
        store.Overwrite(new V1LeaseSpec { HolderIdentity = "other", LeaseDurationSeconds = 3 });
        string? holderWhenWorkStarted = null;
        using var stop = new CancellationTokenSource();

        var running = leadership.RunWhileLeadingAsync(token =>
        {
            holderWhenWorkStarted = store.Current!.Spec.HolderIdentity;
            return Task.Delay(Timeout.Infinite, token);
        }, stop.Token);

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Null(holderWhenWorkStarted);
        Assert.False(leadership.IsLeader);
        Assert.Equal(0, gauge.Last);

        await Eventually.TrueAsync(() => holderWhenWorkStarted is not null, TimeSpan.FromSeconds(10), "the other holder's lease expires");
        Assert.Equal("me", holderWhenWorkStarted);
        Assert.True(leadership.IsLeader);
        Assert.Equal(1, gauge.Last);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_stop_cancels_the_work_waits_for_it_and_only_then_releases_the_lease()
    {
        var workEnded = false;
        bool? workHadEndedWhenReleased = null;
        store.OnWrite = spec =>
        {
            if (spec.HolderIdentity == "")
            {
                workHadEndedWhenReleased = Volatile.Read(ref workEnded);
            }
        };
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();

        var running = leadership.RunWhileLeadingAsync(async token =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                // Winding down takes a moment; the lease must still be held meanwhile.
                await Task.Delay(200, CancellationToken.None);
                Volatile.Write(ref workEnded, true);
            }
        }, stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(workHadEndedWhenReleased);
        Assert.Equal("", store.Current!.Spec.HolderIdentity);
        Assert.Equal(0, gauge.Last);
        Assert.False(leadership.IsLeader);
    }

    [Fact]
    public async Task The_lease_is_renewed_while_the_work_winds_down_after_a_stop()
    {
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var renewalsDuringWindDown = 0;

        var running = leadership.RunWhileLeadingAsync(async token =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, CancellationToken.None);
            var before = store.Writes.Count(w => w.HolderIdentity == "me");

            // Longer than the 3 s lease duration: without renewals a standby could take over now.
            await Task.Delay(TimeSpan.FromSeconds(3.5), CancellationToken.None);
            renewalsDuringWindDown = store.Writes.Count(w => w.HolderIdentity == "me") - before;
        }, stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(renewalsDuringWindDown >= 5, $"only {renewalsDuringWindDown} renewals while the work wound down");
        Assert.Equal("", store.Current!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task Losing_the_lease_cancels_the_work_at_once_and_throws()
    {
        var workToken = new TaskCompletionSource<CancellationToken>();
        var running = leadership.RunWhileLeadingAsync(token =>
        {
            workToken.SetResult(token);
            return Task.Delay(Timeout.Infinite, CancellationToken.None);
        }, CancellationToken.None);
        var token = await workToken.Task.WaitAsync(TimeSpan.FromSeconds(5));

        store.Overwrite(new V1LeaseSpec { HolderIdentity = "thief", LeaseDurationSeconds = 15 });

        var lost = await Assert.ThrowsAsync<LeadershipLostException>(() => running.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains(leaseName, lost.Message);
        Assert.True(token.IsCancellationRequested);
        Assert.Equal("thief", store.Current!.Spec.HolderIdentity);
        Assert.Equal(0, gauge.Last);
    }

    [Fact]
    public async Task An_unreachable_api_server_ends_leadership_within_the_renew_deadline()
    {
        var started = new TaskCompletionSource();
        var running = leadership.RunWhileLeadingAsync(token =>
        {
            started.SetResult();
            return Task.Delay(Timeout.Infinite, token);
        }, CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        store.Unreachable = true;

        await Assert.ThrowsAsync<LeadershipLostException>(() => running.WaitAsync(TimeSpan.FromSeconds(4)));
    }

    [Fact]
    public async Task Failing_work_is_rethrown_after_the_lease_is_released()
    {
        var running = leadership.RunWhileLeadingAsync(_ => throw new InvalidOperationException("boom"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => running.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("boom", error.Message);
        Assert.Equal("", store.Current!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task A_stop_before_the_lease_is_acquired_writes_nothing()
    {
        store.Overwrite(new V1LeaseSpec { HolderIdentity = "other", LeaseDurationSeconds = 15 });
        var writes = store.Writes.Count;
        var workRan = false;
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await leadership.RunWhileLeadingAsync(_ =>
        {
            workRan = true;
            return Task.CompletedTask;
        }, stop.Token).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(workRan);
        Assert.Equal(writes, store.Writes.Count);
    }
}
