using k8s.Models;
using MedOps.Operator.LeaderElection;
using MedOps.Operator.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Operator.Tests.LeaderElection;

public sealed class LeaseElectorTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);
    private readonly FakeLeaseStore store = new();
    private readonly ManualTimeProvider clock = new();

    [Fact]
    public async Task Creates_the_lease_when_there_is_none()
    {
        var elector = Elector("me");

        Assert.Equal(LeaseElector.Attempt.Leading, await elector.TryAcquireOrRenewAsync(default));

        var spec = store.Current!.Spec;
        Assert.Equal("me", spec.HolderIdentity);
        Assert.Equal(15, spec.LeaseDurationSeconds);
        Assert.Equal(0, spec.LeaseTransitions);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, spec.AcquireTime);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, spec.RenewTime);
        Assert.True(elector.IsLeader);
    }

    [Fact]
    public async Task Renewing_keeps_acquire_time_and_transitions()
    {
        var elector = Elector("me");
        await elector.TryAcquireOrRenewAsync(default);
        var acquired = store.Current!.Spec.AcquireTime;
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(LeaseElector.Attempt.Leading, await elector.TryAcquireOrRenewAsync(default));

        var spec = store.Current!.Spec;
        Assert.Equal(acquired, spec.AcquireTime);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, spec.RenewTime);
        Assert.Equal(0, spec.LeaseTransitions);
    }

    [Fact]
    public async Task A_lease_held_by_another_process_is_respected_until_it_expires()
    {
        store.Overwrite(HeldBy("other", transitions: 3));
        var elector = Elector("me");

        Assert.Equal(LeaseElector.Attempt.HeldByOther, await elector.TryAcquireOrRenewAsync(default));
        clock.Advance(LeaseDuration - TimeSpan.FromMilliseconds(1));
        Assert.Equal(LeaseElector.Attempt.HeldByOther, await elector.TryAcquireOrRenewAsync(default));
        Assert.False(elector.IsLeader);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(LeaseElector.Attempt.Leading, await elector.TryAcquireOrRenewAsync(default));

        var spec = store.Current!.Spec;
        Assert.Equal("me", spec.HolderIdentity);
        Assert.Equal(4, spec.LeaseTransitions);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, spec.AcquireTime);
    }

    [Fact]
    public async Task Expiry_is_judged_on_our_clock_not_on_the_renew_time_another_machine_wrote()
    {
        // The holder's clock may be an hour behind ours; only its renewals (new resourceVersions) count.
        var stale = HeldBy("other");
        stale.RenewTime = clock.GetUtcNow().UtcDateTime.AddHours(-1);
        store.Overwrite(stale);

        Assert.Equal(LeaseElector.Attempt.HeldByOther, await Elector("me").TryAcquireOrRenewAsync(default));
    }

    [Fact]
    public async Task Each_renewal_by_the_holder_restarts_the_wait()
    {
        store.Overwrite(HeldBy("other"));
        var elector = Elector("me");
        await elector.TryAcquireOrRenewAsync(default);

        clock.Advance(TimeSpan.FromSeconds(10));
        store.Overwrite(HeldBy("other"));
        await elector.TryAcquireOrRenewAsync(default);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(LeaseElector.Attempt.HeldByOther, await elector.TryAcquireOrRenewAsync(default));
    }

    [Fact]
    public async Task The_holders_own_lease_duration_decides_expiry()
    {
        var spec = HeldBy("other");
        spec.LeaseDurationSeconds = 60;
        store.Overwrite(spec);
        var elector = Elector("me");
        await elector.TryAcquireOrRenewAsync(default);

        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(LeaseElector.Attempt.HeldByOther, await elector.TryAcquireOrRenewAsync(default));
    }

    [Fact]
    public async Task A_released_lease_is_taken_at_once()
    {
        store.Overwrite(new V1LeaseSpec { HolderIdentity = "", LeaseDurationSeconds = 1, LeaseTransitions = 2 });

        Assert.Equal(LeaseElector.Attempt.Leading, await Elector("me").TryAcquireOrRenewAsync(default));
        Assert.Equal(3, store.Current!.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task Losing_a_write_race_is_contention_not_leadership()
    {
        var racing = new RacingStore(store);
        var elector = new LeaseElector(racing, Settings("me"), clock, NullLogger<LeaseElector>.Instance);

        Assert.Equal(LeaseElector.Attempt.Contended, await elector.TryAcquireOrRenewAsync(default));
        Assert.False(elector.IsLeader);
    }

    [Fact]
    public async Task Release_empties_the_holder_so_a_standby_need_not_wait()
    {
        var elector = Elector("me");
        await elector.TryAcquireOrRenewAsync(default);
        clock.Advance(TimeSpan.FromSeconds(1));

        await elector.ReleaseAsync(default);

        var spec = store.Current!.Spec;
        Assert.Equal("", spec.HolderIdentity);
        Assert.Equal(1, spec.LeaseDurationSeconds);
        Assert.Equal(0, spec.LeaseTransitions);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, spec.RenewTime);
        Assert.False(elector.IsLeader);
    }

    [Fact]
    public async Task Release_never_touches_a_lease_held_by_another_process()
    {
        var elector = Elector("me");
        await elector.TryAcquireOrRenewAsync(default);
        store.Overwrite(HeldBy("thief"));

        await elector.ReleaseAsync(default);

        Assert.Equal("thief", store.Current!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task Release_without_leadership_writes_nothing()
    {
        store.Overwrite(HeldBy("other"));
        var elector = Elector("me");
        await elector.TryAcquireOrRenewAsync(default);
        var writes = store.Writes.Count;

        await elector.ReleaseAsync(default);

        Assert.Equal(writes, store.Writes.Count);
    }

    private LeaseElector Elector(string identity) => new(store, Settings(identity), clock, NullLogger<LeaseElector>.Instance);

    private static LeaderElectionSettings Settings(string identity) =>
        new("default", "medops-operator", identity, LeaseDuration, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));

    private V1LeaseSpec HeldBy(string holder, int transitions = 0) => new()
    {
        HolderIdentity = holder,
        LeaseDurationSeconds = 15,
        AcquireTime = clock.GetUtcNow().UtcDateTime,
        RenewTime = clock.GetUtcNow().UtcDateTime,
        LeaseTransitions = transitions,
    };

    /// <summary>Another process creates the Lease between our GET and our CREATE.</summary>
    private sealed class RacingStore(FakeLeaseStore inner) : ILeaseStore
    {
        public Task<V1Lease?> GetAsync(CancellationToken cancellationToken) => inner.GetAsync(cancellationToken);

        public Task<V1Lease?> CreateAsync(V1Lease lease, CancellationToken cancellationToken)
        {
            inner.Overwrite(new V1LeaseSpec { HolderIdentity = "faster", LeaseDurationSeconds = 15 });
            return inner.CreateAsync(lease, cancellationToken);
        }

        public Task<V1Lease?> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken) => inner.ReplaceAsync(lease, cancellationToken);
    }
}
