using k8s.Models;
using MedOps.Operator.LeaderElection;
using MedOps.Operator.Tests.TestSupport;
using MedOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Operator.Tests.LeaderElection;

/// <summary>
/// The elector's acquire and renew loops sleep on a fake clock (<c>Task.Delay(…, TimeProvider)</c>)
/// that the tests move one retry at a time, once the loop is asleep on it.
/// </summary>
public sealed class LeaseLeadershipTests : IDisposable
{
    // 5× faster than the defaults.
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(200);

    // The longest sleep between two acquire attempts: the retry period plus at most half of it in jitter.
    private static readonly TimeSpan LongestAcquireRetry = RetryPeriod * 1.5;
    private readonly string leaseName = $"lease-{Guid.NewGuid():N}";
    private readonly FakeLeaseStore store = new();
    private readonly CountingFakeTimeProvider clock = new();
    private readonly GaugeRecorder gauge;
    private readonly LeaseLeadership leadership;

    public LeaseLeadershipTests()
    {
        gauge = new GaugeRecorder(leaseName);
        var settings = new LeaderElectionSettings("default", leaseName, "me", LeaseDuration, RenewDeadline, RetryPeriod);
        var elector = new LeaseElector(store, settings, clock, NullLogger<LeaseElector>.Instance);
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

        // One acquire attempt per timer: the first at once, then one after each retry, up to
        // 2.4 s into the other holder's 3 s lease. Every one of them finds the lease held.
        const int retriesBeforeExpiry = 8;
        for (var retry = 1; retry <= retriesBeforeExpiry; retry++)
        {
            await clock.AdvanceOnceAsleepAsync(retry, LongestAcquireRetry);
        }
        await clock.WaitForTimersAsync(retriesBeforeExpiry + 1);
        Assert.Null(holderWhenWorkStarted);
        Assert.False(leadership.IsLeader);
        Assert.Equal(0, gauge.Last);

        // Two more retries reach 3.0 s: the lease has expired for this process, which takes it.
        await clock.AdvanceOnceAsleepAsync(retriesBeforeExpiry + 1, LongestAcquireRetry);
        await clock.AdvanceOnceAsleepAsync(retriesBeforeExpiry + 2, LongestAcquireRetry);
        await Eventually.WaitUntilAsync(() => holderWhenWorkStarted is not null, TimeSpan.FromSeconds(10), "the other holder's lease expires");
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
                // Winding down takes a moment; the lease must still be held meanwhile. Real time,
                // not the fake clock: these 200 ms are the window for a wrong early release to show.
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
        var windDown = TimeSpan.FromSeconds(3.5);
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var renewalsDuringWindDown = 0;

        var running = leadership.RunWhileLeadingAsync(async token =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, CancellationToken.None);
            var before = store.Writes.Count(w => w.HolderIdentity == "me");

            // Longer than the 3 s lease duration: without renewals a standby could take over now.
            await Task.Delay(windDown, clock, CancellationToken.None);
            renewalsDuringWindDown = store.Writes.Count(w => w.HolderIdentity == "me") - before;
        }, stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        await stop.CancelAsync();
        // Timer 1 is the renewal loop's first sleep, timer 2 the wind-down; every renewal then
        // sleeps on a new one. One retry period at a time, until the wind-down is over.
        var retries = (int)Math.Ceiling(windDown / RetryPeriod);
        for (var retry = 1; retry <= retries; retry++)
        {
            await clock.AdvanceOnceAsleepAsync(retry + 1, RetryPeriod);
        }
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
        // The next renewal, one retry period later, finds the thief.
        await clock.AdvanceOnceAsleepAsync(1, RetryPeriod);

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

        // Renewals fail every retry period; the clock stops at the renew deadline, so leadership
        // must end by then, not one retry later.
        var retries = (int)(RenewDeadline / RetryPeriod);
        for (var retry = 1; retry <= retries; retry++)
        {
            await clock.AdvanceOnceAsleepAsync(retry, RetryPeriod);
        }
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
        // Timer 1: the stop, 300 ms on the fake clock; timer 2: the sleep after the first attempt.
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300), clock);

        var running = leadership.RunWhileLeadingAsync(_ =>
        {
            workRan = true;
            return Task.CompletedTask;
        }, stop.Token);
        await clock.AdvanceOnceAsleepAsync(2, TimeSpan.FromMilliseconds(300));
        await running.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(workRan);
        Assert.Equal(writes, store.Writes.Count);
    }
}
