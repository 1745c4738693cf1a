using System.Text.Json.Nodes;
using k8s.Models;
using MedOps.NodeSimulator.KubeVirt;
using static MedOps.NodeSimulator.Tests.KubeVirt.Vms;

namespace MedOps.NodeSimulator.Tests.KubeVirt;

public class DataVolumePlannerTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);
    private const string CloneSource = """{"pvc": {"namespace": "golden", "name": "ubuntu-22"}}""";

    /// <summary>The DataVolume's own claim, as the simulator creates it, in the given phase.</summary>
    private static V1PersistentVolumeClaim ClaimOf(JsonObject dv, string phase = "Bound")
    {
        var claim = DataVolumeClaim.Build(dv);
        claim.Metadata.Uid = "claim-uid";
        claim.Status = new V1PersistentVolumeClaimStatus { Phase = phase };
        return claim;
    }

    private static V1PersistentVolumeClaim SourceClaim(string phase = "Bound") => new()
    {
        Metadata = new V1ObjectMeta { Name = "ubuntu-22", NamespaceProperty = "golden", Uid = "source-uid" },
        Spec = new V1PersistentVolumeClaimSpec(),
        Status = new V1PersistentVolumeClaimStatus { Phase = phase },
    };

    /// <summary>Plans with the DataVolume's claim Bound (and, for a clone, its source Bound), unless told otherwise.</summary>
    private static DataVolumeDecision Step(JsonObject dv, DateTime now, V1PersistentVolumeClaim? claim = null, bool noClaim = false,
        V1PersistentVolumeClaim? source = null, bool noSource = false)
    {
        var decision = DataVolumePlanner.Plan(dv, noClaim ? null : claim ?? ClaimOf(dv), noSource ? null : source ?? SourceClaim(), now, Delay);
        if (decision.Status is not null)
        {
            dv["status"] = decision.Status.DeepClone();
        }

        return decision;
    }

    private static JsonObject ConditionOf(JsonObject dv, string type) => Condition(dv["status"]!.AsObject(), type);

    [Fact]
    public void An_import_is_scheduled_then_in_progress_then_succeeded()
    {
        var dv = DataVolume();

        var scheduled = Step(dv, Created.AddMilliseconds(100));
        Assert.Equal("ImportScheduled", Text(dv, "status", "phase"));
        Assert.Equal("N/A", Text(dv, "status", "progress"));
        Assert.Equal(Created + Delay, scheduled.WakeAt);

        var inProgress = Step(dv, Created + Delay);
        Assert.Equal("ImportInProgress", Text(dv, "status", "phase"));
        Assert.Equal("50.0%", Text(dv, "status", "progress"));
        Assert.Equal("True", Text(ConditionOf(dv, "Running"), "status"));
        Assert.NotNull(inProgress.WakeAt);

        Assert.Null(Step(dv, inProgress.WakeAt!.Value.AddMilliseconds(-10)).Status);

        var done = Step(dv, inProgress.WakeAt!.Value);
        Assert.Equal("Succeeded", Text(dv, "status", "phase"));
        Assert.Equal("100.0%", Text(dv, "status", "progress"));
        Assert.Equal("dr-smith-rootdisk", Text(dv, "status", "claimName"));
        Assert.Equal("True", Text(ConditionOf(dv, "Ready"), "status"));
        Assert.Equal("True", Text(ConditionOf(dv, "Bound"), "status"));
        Assert.Equal("PVC dr-smith-rootdisk Bound", Text(ConditionOf(dv, "Bound"), "message"));
        Assert.Null(done.WakeAt);
        Assert.Equal("ImportInProgress -> Succeeded", done.Summary);
    }

    [Fact]
    public void The_whole_import_takes_a_few_startup_delays()
    {
        var dv = DataVolume();
        var now = Created;
        for (var i = 0; i < 5 && Text(dv, "status", "phase") != "Succeeded"; i++)
        {
            now = Step(dv, now).WakeAt ?? now;
        }

        Assert.Equal("Succeeded", Text(dv, "status", "phase"));
        Assert.InRange(now - Created, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Pending")]
    public void An_import_stays_scheduled_until_its_claim_is_bound(string? claimPhase)
    {
        var dv = DataVolume();
        var claim = claimPhase is null ? null : ClaimOf(dv, claimPhase);

        var waiting = Step(dv, Created.AddSeconds(5), claim, noClaim: claim is null);

        Assert.Equal("ImportScheduled", Text(dv, "status", "phase"));
        var bound = ConditionOf(dv, "Bound");
        Assert.Equal(("False", "Pending", "PVC dr-smith-rootdisk Pending"), (Text(bound, "status"), Text(bound, "reason"), Text(bound, "message")));
        Assert.Null(waiting.WakeAt); // the claim's watch event brings the DataVolume back, not a timer
        Assert.Equal("(new) -> ImportScheduled (PVC dr-smith-rootdisk Pending)", waiting.Summary);

        var bindsLater = Step(dv, Created.AddSeconds(6), ClaimOf(dv));
        Assert.Equal("ImportInProgress", Text(dv, "status", "phase"));
        Assert.Equal("True", Text(ConditionOf(dv, "Bound"), "status"));
        Assert.Equal("ImportScheduled -> ImportInProgress", bindsLater.Summary);
    }

    [Fact]
    public void A_claim_bound_before_the_startup_delay_still_waits_for_it()
    {
        var dv = DataVolume();

        var decision = Step(dv, Created.AddMilliseconds(100));

        Assert.Equal("ImportScheduled", Text(dv, "status", "phase"));
        Assert.Equal("True", Text(ConditionOf(dv, "Bound"), "status"));
        Assert.Equal(Created + Delay, decision.WakeAt);
    }

    [Fact]
    public void A_namesake_claim_the_data_volume_does_not_control_blocks_it()
    {
        // A claim kept ("retained") from an earlier workspace, its owner reference removed: CDI does not adopt it.
        var dv = DataVolume();
        var retained = ClaimOf(dv);
        retained.Metadata.OwnerReferences = null;

        Step(dv, Created.AddSeconds(5), retained);

        Assert.Equal("ImportScheduled", Text(dv, "status", "phase"));
        var bound = ConditionOf(dv, "Bound");
        Assert.Equal("False", Text(bound, "status"));
        Assert.Equal(DataVolumePlanner.ErrResourceExists, Text(bound, "reason"));
        Assert.Equal("Resource \"dr-smith-rootdisk\" already exists and is not managed by DataVolume", Text(bound, "message"));
    }

    [Fact]
    public void An_import_in_progress_whose_claim_is_gone_does_not_succeed()
    {
        var dv = DataVolume();
        Step(dv, Created + Delay);
        Assert.Equal("ImportInProgress", Text(dv, "status", "phase"));

        Step(dv, Created.AddHours(1), noClaim: true);

        Assert.Equal("ImportInProgress", Text(dv, "status", "phase"));
        Assert.Equal("False", Text(ConditionOf(dv, "Bound"), "status"));
    }

    [Fact]
    public void A_pvc_source_is_a_clone()
    {
        var dv = DataVolume(source: CloneSource);

        Step(dv, Created);
        Assert.Equal("CloneScheduled", Text(dv, "status", "phase"));

        Step(dv, Created.AddSeconds(1));
        Assert.Equal("CloneInProgress", Text(dv, "status", "phase"));
        Assert.Equal("Clone in progress", Text(ConditionOf(dv, "Running"), "message"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Pending")]
    [InlineData("Lost")]
    public void A_clone_stays_scheduled_until_its_source_exists_and_is_bound(string? sourcePhase)
    {
        var dv = DataVolume(source: CloneSource);
        var source = sourcePhase is null ? null : SourceClaim(sourcePhase);

        var waiting = Step(dv, Created.AddSeconds(5), source: source, noSource: source is null);

        Assert.Equal("CloneScheduled", Text(dv, "status", "phase"));
        Assert.Equal("N/A", Text(dv, "status", "progress"));
        var running = ConditionOf(dv, "Running");
        Assert.Equal(("False", "CloneScheduled", "waiting for source PVC golden/ubuntu-22 to exist and be Bound"),
            (Text(running, "status"), Text(running, "reason"), Text(running, "message")));
        Assert.Equal("True", Text(ConditionOf(dv, "Bound"), "status")); // its own claim is there
        Assert.Null(waiting.WakeAt);
        Assert.Contains("waiting for source PVC golden/ubuntu-22", waiting.Summary, StringComparison.Ordinal);

        Step(dv, Created.AddSeconds(6), source: SourceClaim());
        Assert.Equal("CloneInProgress", Text(dv, "status", "phase"));
    }

    [Fact]
    public void A_source_being_deleted_does_not_start_a_clone()
    {
        var dv = DataVolume(source: CloneSource);
        var source = SourceClaim();
        source.Metadata.DeletionTimestamp = Created;

        Step(dv, Created.AddSeconds(5), source: source);

        Assert.Equal("CloneScheduled", Text(dv, "status", "phase"));
    }

    [Fact]
    public void Waiting_changes_nothing_until_something_it_waits_for_changes()
    {
        var dv = DataVolume(source: CloneSource);
        Step(dv, Created.AddSeconds(5), noSource: true);

        var again = Step(dv, Created.AddSeconds(9), noSource: true);

        Assert.Null(again.Status);
        Assert.Null(again.WakeAt);
    }

    [Fact]
    public void A_restarted_simulator_continues_a_long_running_import()
    {
        var dv = DataVolume();
        Step(dv, Created.AddSeconds(1));

        Step(dv, Created.AddHours(1));

        Assert.Equal("Succeeded", Text(dv, "status", "phase"));
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void A_finished_data_volume_is_left_alone(string phase)
    {
        var decision = DataVolumePlanner.Plan(DataVolume(phase: phase), null, null, Created.AddHours(1), Delay);

        Assert.Null(decision.Status);
        Assert.Null(decision.WakeAt);
    }
}
