using MedOps.Operator.Health;

namespace MedOps.Operator.Tests.Health;

public sealed class ReadinessGateTests
{
    private readonly ReadinessGate gate = new();

    [Fact]
    public void With_no_checks_the_process_is_ready() => Assert.True(gate.IsReady);

    [Fact]
    public void Ready_only_when_every_check_passes()
    {
        var synced = false;
        gate.Register("informers-synced", () => synced);
        gate.Register("webhook-certs", () => true);

        Assert.False(gate.IsReady);
        synced = true;
        Assert.True(gate.IsReady);
    }

    [Fact]
    public void Results_come_in_name_order_with_a_reason_for_failures()
    {
        gate.Register("b", () => true);
        gate.Register("a", () => false);

        Assert.Equal(
            [new ReadinessCheckResult("a", false, "not ready"), new ReadinessCheckResult("b", true, null)],
            gate.Evaluate());
    }

    [Fact]
    public void A_check_that_throws_is_not_ready_and_says_why()
    {
        gate.Register("cache", () => throw new InvalidOperationException("watch closed"));
        Assert.Equal([new ReadinessCheckResult("cache", false, "watch closed")], gate.Evaluate());
    }

    [Fact]
    public void Disposing_the_registration_removes_the_check()
    {
        var registration = gate.Register("cache", () => false);
        registration.Dispose();
        Assert.True(gate.IsReady);
        Assert.Empty(gate.Evaluate());
    }

    [Fact]
    public void A_stale_registration_does_not_remove_a_newer_check_of_the_same_name()
    {
        var old = gate.Register("cache", () => true);
        old.Dispose();
        gate.Register("cache", () => false);
        old.Dispose();
        Assert.False(gate.IsReady);
    }

    [Fact]
    public void Names_are_unique() =>
        Assert.Throws<ArgumentException>(() =>
        {
            gate.Register("cache", () => true);
            gate.Register("cache", () => true);
        });
}
