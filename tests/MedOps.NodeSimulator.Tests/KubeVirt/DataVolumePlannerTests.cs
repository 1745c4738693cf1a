using MedOps.NodeSimulator.KubeVirt;
using static MedOps.NodeSimulator.Tests.KubeVirt.Vms;

namespace MedOps.NodeSimulator.Tests.KubeVirt;

public class DataVolumePlannerTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);

    private static DataVolumeDecision Step(System.Text.Json.Nodes.JsonObject dv, DateTime now)
    {
        var decision = DataVolumePlanner.Plan(dv, now, Delay);
        if (decision.Status is not null)
        {
            dv["status"] = decision.Status.DeepClone();
        }

        return decision;
    }

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
        Assert.Equal("True", Text(Condition(dv["status"]!.AsObject(), "Running"), "status"));
        Assert.NotNull(inProgress.WakeAt);

        Assert.Null(Step(dv, inProgress.WakeAt!.Value.AddMilliseconds(-10)).Status);

        var done = Step(dv, inProgress.WakeAt!.Value);
        Assert.Equal("Succeeded", Text(dv, "status", "phase"));
        Assert.Equal("100.0%", Text(dv, "status", "progress"));
        Assert.Equal("dr-smith-rootdisk", Text(dv, "status", "claimName"));
        Assert.Equal("True", Text(Condition(dv["status"]!.AsObject(), "Ready"), "status"));
        Assert.Equal("True", Text(Condition(dv["status"]!.AsObject(), "Bound"), "status"));
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

    [Fact]
    public void A_pvc_source_is_a_clone()
    {
        var dv = DataVolume(source: """{"pvc": {"namespace": "golden", "name": "ubuntu-22"}}""");

        Step(dv, Created);
        Assert.Equal("CloneScheduled", Text(dv, "status", "phase"));

        Step(dv, Created.AddSeconds(1));
        Assert.Equal("CloneInProgress", Text(dv, "status", "phase"));
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
        var decision = DataVolumePlanner.Plan(DataVolume(phase: phase), Created.AddHours(1), Delay);

        Assert.Null(decision.Status);
        Assert.Null(decision.WakeAt);
    }
}
