using k8s.Models;
using MedOps.Operator.LeaderElection;
using MedOps.Operator.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Operator.Tests.LeaderElection;

/// <summary>
/// The acquire and renew loops on the real clock, with durations scaled down 5× from the defaults.
/// The margins allow for stalls of a second on a loaded two-core machine: a stall longer than the
/// renew deadline is a real loss of leadership, not a test failure to hide.
/// </summary>
[Collection(RealClockCollection.Name)]
public sealed class LeaseElectorTimingTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);
    private readonly FakeLeaseStore store = new();

    [Fact]
    public async Task Holding_ends_when_the_api_server_is_unreachable_past_the_renew_deadline()
    {
        var elector = Elector("me");
        await elector.AcquireAsync(default);
        var holding = elector.HoldAsync(default);
        await Task.Delay(RetryPeriod * 3);
        Assert.False(holding.IsCompleted);

        var cutOff = DateTime.UtcNow;
        store.Unreachable = true;
        await holding.WaitAsync(TimeSpan.FromSeconds(10));

        // Not before the renew deadline (minus the retry period the last success may be old), and
        // no later than one more retry period after it: before the lease can expire for a standby.
        Assert.InRange(DateTime.UtcNow - cutOff, RenewDeadline - RetryPeriod, RenewDeadline + RetryPeriod + Slack);
        Assert.False(elector.IsLeader);
    }

    [Fact]
    public async Task Holding_ends_at_once_when_another_process_takes_the_lease()
    {
        var elector = Elector("me");
        await elector.AcquireAsync(default);
        var holding = elector.HoldAsync(default);

        store.Overwrite(new V1LeaseSpec { HolderIdentity = "thief", LeaseDurationSeconds = 15 });

        await holding.WaitAsync(RetryPeriod + Slack);
        Assert.False(elector.IsLeader);
    }

    [Fact]
    public async Task A_hung_renewal_cannot_outlive_the_renew_deadline()
    {
        var hanging = new HangingStore(store);
        var elector = new LeaseElector(hanging, Settings("me"), TimeProvider.System, NullLogger<LeaseElector>.Instance);
        await elector.AcquireAsync(default);
        hanging.Hang = true;

        await elector.HoldAsync(default).WaitAsync(RenewDeadline + RetryPeriod + Slack);
    }

    [Fact]
    public async Task Holding_stops_with_cancellation_on_a_graceful_stop()
    {
        var elector = Elector("me");
        await elector.AcquireAsync(default);
        using var stop = new CancellationTokenSource(RetryPeriod * 3);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => elector.HoldAsync(stop.Token));
        Assert.True(elector.IsLeader);
    }

    [Fact]
    public async Task Of_two_candidates_one_leads_and_the_other_takes_over_soon_after_a_release()
    {
        var first = Elector("first");
        var second = Elector("second");
        await first.AcquireAsync(default);
        using var firstHolds = new CancellationTokenSource();
        var holding = first.HoldAsync(firstHolds.Token);

        var secondAcquires = second.AcquireAsync(default);
        // Longer than the lease duration: an unrenewed lease would have expired by now.
        await Task.Delay(LeaseDuration + RetryPeriod * 2);
        Assert.False(secondAcquires.IsCompleted, string.Join(",", store.Writes.Select(w => $"{w.HolderIdentity}@{w.RenewTime:ss.fff}")) + " holding " + holding.Status);
        Assert.Equal("first", store.Current!.Spec.HolderIdentity);

        await firstHolds.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holding);
        var releasedAt = DateTime.UtcNow;
        await first.ReleaseAsync(default);

        await secondAcquires.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("second", store.Current!.Spec.HolderIdentity);

        // The retry period plus jitter (at most half a retry period): well under a lease duration.
        Assert.InRange(DateTime.UtcNow - releasedAt, TimeSpan.Zero, RetryPeriod * 1.5 + Slack);
    }

    private LeaseElector Elector(string identity) => new(store, Settings(identity), TimeProvider.System, NullLogger<LeaseElector>.Instance);

    private static LeaderElectionSettings Settings(string identity) =>
        new("default", "medops-operator", identity, LeaseDuration, RenewDeadline, RetryPeriod);

    /// <summary>Requests that never answer, like a half-open connection.</summary>
    private sealed class HangingStore(FakeLeaseStore inner) : ILeaseStore
    {
        public bool Hang { get; set; }

        public async Task<V1Lease?> GetAsync(CancellationToken cancellationToken)
        {
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await inner.GetAsync(cancellationToken);
        }

        public Task<V1Lease?> CreateAsync(V1Lease lease, CancellationToken cancellationToken) => inner.CreateAsync(lease, cancellationToken);

        public Task<V1Lease?> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken) => inner.ReplaceAsync(lease, cancellationToken);
    }
}
