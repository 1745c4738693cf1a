using k8s.Models;
using MedOps.Runtime.Status;

namespace MedOps.Runtime.Tests.Status;

public class KstatusTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private static string? StatusOf(List<V1Condition> conditions, string type) => Conditions.Find(conditions, type)?.Status;

    [Fact]
    public void Done_is_ready_and_neither_reconciling_nor_stalled()
    {
        var conditions = Kstatus.Apply(null, Outcome.Done("Serving", "2/2 ready"), 3, Now);

        Assert.Equal("True", StatusOf(conditions, Conditions.Ready));
        Assert.Null(StatusOf(conditions, Conditions.Reconciling));
        Assert.Null(StatusOf(conditions, Conditions.Stalled));
        Assert.All(conditions, c => Assert.Equal(3, c.ObservedGeneration));
    }

    [Fact]
    public void In_progress_is_reconciling_with_readys_reason()
    {
        var conditions = Kstatus.Apply(null, Outcome.InProgress("Deploying", "0/2 ready"), 1, Now);

        Assert.Equal("False", StatusOf(conditions, Conditions.Ready));
        var reconciling = Conditions.Find(conditions, Conditions.Reconciling)!;
        Assert.Equal(("True", "Deploying", "0/2 ready"), (reconciling.Status, reconciling.Reason, reconciling.Message));
        Assert.Null(StatusOf(conditions, Conditions.Stalled));
    }

    [Fact]
    public void Stalled_carries_readys_reason_and_ends_reconciling()
    {
        var before = Kstatus.Apply(null, Outcome.InProgress("Deploying", "x"), 1, Now);

        var conditions = Kstatus.Apply(before, Outcome.Stalled("InvalidSource", "set exactly one"), 2, Now.AddSeconds(5));

        Assert.Equal("InvalidSource", Conditions.Find(conditions, Conditions.Ready)!.Reason);
        var stalled = Conditions.Find(conditions, Conditions.Stalled)!;
        Assert.Equal(("True", "InvalidSource"), (stalled.Status, stalled.Reason));
        Assert.Null(StatusOf(conditions, Conditions.Reconciling));
    }

    [Fact]
    public void Idle_is_not_ready_and_neither_reconciling_nor_stalled()
    {
        var before = Kstatus.Apply(null, Outcome.Stalled("OutputClaimNotFound", "x"), 1, Now);

        var conditions = Kstatus.Apply(before, Outcome.Idle("Suspended", "spec.suspend is true"), 2, Now);

        Assert.Equal("False", StatusOf(conditions, Conditions.Ready));
        Assert.Null(StatusOf(conditions, Conditions.Reconciling));
        Assert.Null(StatusOf(conditions, Conditions.Stalled));
    }

    [Fact]
    public void Other_condition_types_are_kept_and_ready_keeps_its_transition_time_while_unchanged()
    {
        var start = Conditions.Set(null, "Available", true, "MinimumReplicasAvailable", "1 ready", 1, Now);
        start = Kstatus.Apply(start, Outcome.InProgress("Deploying", "a"), 1, Now);

        var later = Kstatus.Apply(start, Outcome.InProgress("Deploying", "b"), 2, Now.AddMinutes(1));

        Assert.Equal("True", StatusOf(later, "Available"));
        Assert.Equal(Now, Conditions.Find(later, Conditions.Ready)!.LastTransitionTime);
    }
}
