using MedOps.Runtime.Status;

namespace MedOps.Runtime.Tests.Status;

public sealed class ConditionsTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime T1 = T0.AddMinutes(5);

    [Fact]
    public void Setting_a_new_condition_stamps_its_transition_time()
    {
        var list = Conditions.Set(null, Conditions.Ready, false, "Deploying", "waiting for pods", 1, T0);
        var ready = Assert.Single(list);
        Assert.Equal(("False", "Deploying", 1L, T0), (ready.Status, ready.Reason, ready.ObservedGeneration!.Value, ready.LastTransitionTime));
    }

    [Fact]
    public void The_transition_time_moves_only_when_the_status_changes()
    {
        var first = Conditions.Set(null, Conditions.Ready, false, "Deploying", "a", 1, T0);
        var sameStatus = Conditions.Set(first, Conditions.Ready, false, "StillDeploying", "b", 2, T1);
        Assert.Equal(T0, sameStatus.Single().LastTransitionTime);
        Assert.Equal("StillDeploying", sameStatus.Single().Reason);

        var flipped = Conditions.Set(sameStatus, Conditions.Ready, true, "Ready", "c", 2, T1);
        Assert.Equal(T1, flipped.Single().LastTransitionTime);
    }

    [Fact]
    public void Set_and_remove_leave_the_input_list_untouched()
    {
        var first = Conditions.Set(null, Conditions.Stalled, true, "Invalid", "x", 1, T0);
        var removed = Conditions.Remove(first, Conditions.Stalled);
        Assert.Empty(removed);
        Assert.Single(first);
        Assert.True(Conditions.IsTrue(first, Conditions.Stalled));
        Assert.False(Conditions.IsTrue(removed, Conditions.Stalled));
    }
}
