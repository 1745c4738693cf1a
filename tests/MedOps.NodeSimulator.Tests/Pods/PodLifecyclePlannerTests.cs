using k8s.Models;
using MedOps.NodeSimulator.Pods;
using static MedOps.NodeSimulator.Tests.Pods.PodBuilder;

namespace MedOps.NodeSimulator.Tests.Pods;

public class PodLifecyclePlannerTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);
    private static readonly PodPlacement Placement = new("sim-cpu-0", "127.0.0.2", "10.244.0.7");

    private static PodDecision Plan(V1Pod pod, DateTime now) => PodLifecyclePlanner.Plan(pod, now, Delay, Placement);

    /// <summary>Plans, applies the written status to the pod (as the apiserver would), and returns the decision.</summary>
    private static PodDecision Step(V1Pod pod, DateTime now)
    {
        var decision = Plan(pod, now);
        if (decision.Status is not null)
        {
            pod.Status = decision.Status;
        }

        return decision;
    }

    private static V1ContainerStatus MainContainer(V1Pod pod) => pod.Status.ContainerStatuses.Single(c => c.Name == "main");

    private static string? Condition(V1Pod pod, string type) => pod.Status.Conditions.SingleOrDefault(c => c.Type == type)?.Status;

    [Fact]
    public void A_bound_pod_stays_pending_until_the_startup_delay_has_passed()
    {
        var pod = Bound().WithContainer("main");

        var decision = Plan(pod, ScheduledAt.AddMilliseconds(200));

        Assert.Equal(PodAction.None, decision.Action);
        Assert.Equal(ScheduledAt + Delay, decision.WakeAt);
    }

    [Fact]
    public void After_the_startup_delay_the_pod_runs_and_is_ready()
    {
        var pod = Bound().WithInitContainer("init").WithContainer("main");

        var decision = Step(pod, ScheduledAt.AddSeconds(1));

        Assert.Equal(PodAction.WriteStatus, decision.Action);
        Assert.Null(decision.WakeAt); // no exit code: it runs until deleted
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal("10.244.0.7", pod.Status.PodIP);
        Assert.Equal("10.244.0.7", Assert.Single(pod.Status.PodIPs).Ip);
        Assert.Equal("127.0.0.2", pod.Status.HostIP);
        Assert.NotNull(pod.Status.StartTime);
        Assert.Equal("BestEffort", pod.Status.QosClass);
        foreach (var type in new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" })
        {
            Assert.Equal("True", Condition(pod, type));
        }

        var init = Assert.Single(pod.Status.InitContainerStatuses);
        Assert.Equal(0, init.State.Terminated.ExitCode);
        Assert.Equal("Completed", init.State.Terminated.Reason);
        var main = MainContainer(pod);
        Assert.NotNull(main.State.Running);
        Assert.True(main.Ready);
        Assert.True(main.Started);
        Assert.Equal(0, main.RestartCount);
        Assert.Equal("example.org/main:1", main.Image);
        Assert.StartsWith("docker-pullable://example.org/main:1@sha256:", main.ImageID, StringComparison.Ordinal);
        Assert.StartsWith("containerd://", main.ContainerID, StringComparison.Ordinal);
        Assert.Contains("Pending -> Running on sim-cpu-0 (10.244.0.7)", decision.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Planning_again_without_time_passing_changes_nothing()
    {
        var pod = Bound().WithContainer("main");
        var now = ScheduledAt.AddSeconds(1);
        Step(pod, now);

        var again = Plan(pod, now);

        Assert.Equal(PodAction.None, again.Action);
    }

    [Fact]
    public void The_pod_scheduled_condition_and_conditions_of_others_are_kept()
    {
        var pod = Bound().WithContainer("main");
        pod.Status.Conditions.Add(new V1PodCondition { Type = "example.org/Gate", Status = "True" });

        Step(pod, ScheduledAt.AddSeconds(5));

        var scheduled = pod.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal(ScheduledAt, scheduled.LastTransitionTime);
        Assert.Equal("True", Condition(pod, "example.org/Gate"));
    }

    [Fact]
    public void A_container_with_exit_code_0_succeeds_after_its_run_seconds()
    {
        var pod = Bound("Never").WithContainer("main", ("MEDOPS_SIM_EXIT_CODE", "0"), ("MEDOPS_SIM_RUN_SECONDS", "2"));
        var start = ScheduledAt.AddSeconds(1);

        var running = Step(pod, start);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal(start.AddSeconds(2), running.WakeAt);

        Assert.Equal(PodAction.None, Plan(pod, start.AddSeconds(1)).Action);

        var done = Step(pod, start.AddSeconds(2));
        Assert.Equal("Succeeded", pod.Status.Phase);
        Assert.Equal("Running -> Succeeded", done.Summary);
        Assert.Null(done.WakeAt);
        var terminated = MainContainer(pod).State.Terminated;
        Assert.Equal(0, terminated.ExitCode);
        Assert.Equal("Completed", terminated.Reason);
        Assert.False(MainContainer(pod).Ready);
        Assert.Equal("False", Condition(pod, "Ready"));
        Assert.Equal("PodCompleted", pod.Status.Conditions.Single(c => c.Type == "Ready").Reason);
    }

    [Fact]
    public void A_container_with_a_non_zero_exit_code_fails_the_pod()
    {
        var pod = Bound("Never").WithContainer("main", ("MEDOPS_SIM_EXIT_CODE", "3"));
        var start = ScheduledAt.AddSeconds(1);
        Step(pod, start);

        var done = Step(pod, start.AddSeconds(1));

        Assert.Equal("Failed", pod.Status.Phase);
        Assert.Equal(3, MainContainer(pod).State.Terminated.ExitCode);
        Assert.Equal("Error", MainContainer(pod).State.Terminated.Reason);
        Assert.Contains("container main exited with 3", done.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Fractional_run_seconds_are_honoured()
    {
        var pod = Bound("Never").WithContainer("main", ("MEDOPS_SIM_EXIT_CODE", "0"), ("MEDOPS_SIM_RUN_SECONDS", "0.25"));
        var start = ScheduledAt.AddSeconds(1);

        var running = Step(pod, start);

        Assert.Equal(start.AddMilliseconds(250), running.WakeAt);
        Assert.Equal("Running", pod.Status.Phase);
    }

    [Fact]
    public void A_restarted_simulator_finishes_a_container_whose_time_is_up_right_away()
    {
        var pod = Bound("Never").WithContainer("main", ("MEDOPS_SIM_EXIT_CODE", "0"));
        Step(pod, ScheduledAt.AddSeconds(1));

        var decision = Step(pod, ScheduledAt.AddHours(1));

        Assert.Equal(PodAction.WriteStatus, decision.Action);
        Assert.Equal("Succeeded", pod.Status.Phase);
    }

    [Fact]
    public void A_pod_that_was_pending_for_long_starts_at_once()
    {
        var pod = Bound().WithContainer("main");

        var decision = Step(pod, ScheduledAt.AddHours(1));

        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal(PodAction.WriteStatus, decision.Action);
    }

    [Theory]
    [InlineData("1", "1", "1", 1)] // the listed rank on a listed attempt fails
    [InlineData("1", "2", "1", 0)] // the listed rank on another attempt follows MEDOPS_SIM_EXIT_CODE
    [InlineData("0", "1", "1", 0)] // another rank follows MEDOPS_SIM_EXIT_CODE
    [InlineData("1", "7", null, 1)] // no attempt list: the rank fails on every attempt
    [InlineData("2", "1", "1,3", 1)] // lists are comma separated
    public void Listed_ranks_fail_on_listed_attempts(string rank, string attempt, string? failAttempts, int expectedExitCode)
    {
        var env = new List<(string, string)> { ("RANK", rank), ("MEDOPS_SIM_EXIT_CODE", "0"), ("MEDOPS_SIM_FAIL_RANKS", "1, 2") };
        if (failAttempts is not null)
        {
            env.Add(("MEDOPS_SIM_FAIL_ATTEMPTS", failAttempts));
        }

        var pod = Bound("Never", new Dictionary<string, string> { ["medops.io/attempt"] = attempt }).WithContainer("main", [.. env]);
        Step(pod, ScheduledAt.AddSeconds(1));
        Step(pod, ScheduledAt.AddSeconds(10));

        Assert.Equal(expectedExitCode, MainContainer(pod).State.Terminated.ExitCode);
        Assert.Equal(expectedExitCode == 0 ? "Succeeded" : "Failed", pod.Status.Phase);
    }

    [Fact]
    public void A_listed_rank_without_an_exit_code_rule_on_another_attempt_runs_forever()
    {
        var pod = Bound("Never", new Dictionary<string, string> { ["medops.io/attempt"] = "2" })
            .WithContainer("main", ("RANK", "1"), ("MEDOPS_SIM_FAIL_RANKS", "1"), ("MEDOPS_SIM_FAIL_ATTEMPTS", "1"));
        Step(pod, ScheduledAt.AddSeconds(1));

        var later = Plan(pod, ScheduledAt.AddHours(1));

        Assert.Equal(PodAction.None, later.Action);
        Assert.Equal("Running", pod.Status.Phase);
    }

    [Fact]
    public void A_never_ready_container_runs_but_the_pod_is_not_ready()
    {
        var pod = Bound().WithContainer("main", ("MEDOPS_SIM_NEVER_READY", "true"));

        Step(pod, ScheduledAt.AddSeconds(1));

        Assert.Equal("Running", pod.Status.Phase);
        Assert.False(MainContainer(pod).Ready);
        Assert.Equal("False", Condition(pod, "ContainersReady"));
        Assert.Equal("False", Condition(pod, "Ready"));
        Assert.Equal("ContainersNotReady", pod.Status.Conditions.Single(c => c.Type == "Ready").Reason);
    }

    [Fact]
    public void A_failing_init_container_fails_a_pod_that_never_restarts()
    {
        var pod = Bound("Never").WithInitContainer("init", ("MEDOPS_SIM_EXIT_CODE", "2")).WithContainer("main");
        var start = ScheduledAt.AddSeconds(1);

        Step(pod, start);
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal("PodInitializing", MainContainer(pod).State.Waiting.Reason);

        Step(pod, start.AddSeconds(1));
        Assert.Equal("Failed", pod.Status.Phase);
        Assert.Equal(2, pod.Status.InitContainerStatuses.Single().State.Terminated.ExitCode);
        Assert.Equal("False", Condition(pod, "Initialized"));
        Assert.Equal("PodInitializing", MainContainer(pod).State.Waiting.Reason);
    }

    [Fact]
    public void A_failing_init_container_of_an_always_pod_crash_loops_and_the_pod_stays_pending()
    {
        var pod = Bound("Always").WithInitContainer("init", ("MEDOPS_SIM_EXIT_CODE", "2")).WithContainer("main");
        var start = ScheduledAt.AddSeconds(1);
        Step(pod, start);

        var failed = Step(pod, start.AddSeconds(1));

        Assert.Equal("Pending", pod.Status.Phase);
        var init = pod.Status.InitContainerStatuses.Single();
        Assert.Equal("CrashLoopBackOff", init.State.Waiting.Reason);
        Assert.Equal(2, init.LastState.Terminated.ExitCode);
        Assert.Equal(0, init.RestartCount);
        Assert.NotNull(failed.WakeAt);

        Step(pod, failed.WakeAt!.Value);
        init = pod.Status.InitContainerStatuses.Single();
        Assert.NotNull(init.State.Running);
        Assert.Equal(1, init.RestartCount);
        Assert.Equal(2, init.LastState.Terminated.ExitCode);
        Assert.Equal("Pending", pod.Status.Phase);
    }

    [Fact]
    public void An_init_container_with_exit_code_0_runs_for_its_run_seconds_before_the_containers_start()
    {
        var pod = Bound().WithInitContainer("init", ("MEDOPS_SIM_EXIT_CODE", "0"), ("MEDOPS_SIM_RUN_SECONDS", "3")).WithContainer("main");
        var start = ScheduledAt.AddSeconds(1);

        var first = Step(pod, start);
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal(start.AddSeconds(3), first.WakeAt);

        Step(pod, start.AddSeconds(3));
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal("True", Condition(pod, "Initialized"));
    }

    [Fact]
    public void A_failed_container_of_an_always_pod_is_restarted_after_a_back_off()
    {
        var pod = Bound("Always").WithContainer("main", ("MEDOPS_SIM_EXIT_CODE", "1"));
        var start = ScheduledAt.AddSeconds(1);
        Step(pod, start);

        var exited = Step(pod, start.AddSeconds(1));
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal("CrashLoopBackOff", MainContainer(pod).State.Waiting.Reason);
        Assert.Equal(1, MainContainer(pod).LastState.Terminated.ExitCode);
        Assert.Equal("False", Condition(pod, "Ready"));

        var restarted = Step(pod, exited.WakeAt!.Value);
        Assert.NotNull(MainContainer(pod).State.Running);
        Assert.Equal(1, MainContainer(pod).RestartCount);
        Assert.True(MainContainer(pod).Ready);
        Assert.Contains("restarted (restartCount 1)", restarted.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void An_on_failure_pod_whose_containers_exit_0_succeeds()
    {
        var pod = Bound("OnFailure").WithContainer("main", ("MEDOPS_SIM_EXIT_CODE", "0"));
        Step(pod, ScheduledAt.AddSeconds(1));

        Step(pod, ScheduledAt.AddSeconds(5));

        Assert.Equal("Succeeded", pod.Status.Phase);
    }

    [Fact]
    public void A_pod_with_one_finished_and_one_running_container_is_running()
    {
        var pod = Bound("Never").WithContainer("main", ("MEDOPS_SIM_EXIT_CODE", "0")).WithContainer("sidecar");
        Step(pod, ScheduledAt.AddSeconds(1));

        Step(pod, ScheduledAt.AddSeconds(10));

        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal("False", Condition(pod, "Ready"));
    }

    [Fact]
    public void A_terminating_pod_is_force_deleted()
    {
        var pod = Bound().WithContainer("main");
        pod.Metadata.DeletionTimestamp = ScheduledAt.AddSeconds(3);

        Assert.Equal(PodAction.ForceDelete, Plan(pod, ScheduledAt.AddSeconds(4)).Action);
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void A_finished_pod_is_left_alone(string phase)
    {
        var pod = Bound().WithContainer("main");
        pod.Status.Phase = phase;

        var decision = Plan(pod, ScheduledAt.AddHours(1));

        Assert.Equal(PodAction.None, decision.Action);
        Assert.Null(decision.WakeAt);
    }

    [Fact]
    public void A_pod_that_waits_on_readiness_gates_is_not_ready()
    {
        var pod = Bound().WithContainer("main");
        pod.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = "example.org/LoadBalancer" }];

        Step(pod, ScheduledAt.AddSeconds(1));

        Assert.Equal("True", Condition(pod, "ContainersReady"));
        Assert.Equal("False", Condition(pod, "Ready"));
    }
}
