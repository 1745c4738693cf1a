using k8s.Models;
using MedOps.Controllers.TrainingJobs;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class AttemptPlannerTests
{
    private static AttemptPlan Plan(int attempt, int restarts, IEnumerable<V1Pod> pods, int backoffLimit = 3) =>
        AttemptPlanner.Plan(TestJobs.ChestXray(s => s.BackoffLimit = backoffLimit), attempt, restarts, pods);

    [Fact]
    public void A_job_without_an_attempt_starts_the_first_one_before_creating_any_pod()
    {
        var plan = Plan(0, 0, []);

        Assert.Equal(AttemptAction.StartFirstAttempt, plan.Action);
        Assert.Empty(plan.RanksToCreate);
    }

    [Fact]
    public void Missing_ranks_of_the_current_attempt_are_created()
    {
        var plan = Plan(1, 0, [TestJobs.Worker(0, 1, "Running"), TestJobs.Worker(2, 1, "Pending")]);

        Assert.Equal(AttemptAction.CreateWorkers, plan.Action);
        Assert.Equal([1, 3], plan.RanksToCreate);
        Assert.Empty(plan.StalePods);
        Assert.False(plan.AllRunning);
        Assert.Equal(2, plan.Counts.Active);
    }

    [Fact]
    public void Every_rank_created_and_none_failed_means_wait()
    {
        var plan = Plan(1, 0, TestJobs.Workers(4, 1, "Running"));

        Assert.Equal(AttemptAction.Wait, plan.Action);
        Assert.True(plan.AllRunning);
        Assert.Equal(4, plan.RunningWorkers);
        Assert.Equal((4, 0, 0), (plan.Counts.Active, plan.Counts.Succeeded, plan.Counts.Failed));
    }

    [Fact]
    public void Some_workers_succeeded_while_others_run_is_still_waiting()
    {
        var pods = TestJobs.Workers(4, 1, "Running");
        pods[0] = TestJobs.Worker(0, 1, "Succeeded");

        var plan = Plan(1, 0, pods);

        Assert.Equal(AttemptAction.Wait, plan.Action);
        Assert.Equal((3, 1, 0), (plan.Counts.Active, plan.Counts.Succeeded, plan.Counts.Failed));
    }

    [Fact]
    public void All_workers_of_the_current_attempt_succeeded_means_success()
    {
        var plan = Plan(2, 1, TestJobs.Workers(4, 2, "Succeeded"));

        Assert.Equal(AttemptAction.Succeed, plan.Action);
        Assert.Equal(4, plan.Counts.Succeeded);
    }

    [Fact]
    public void A_failed_worker_restarts_the_job_while_restarts_are_left()
    {
        var pods = TestJobs.Workers(4, 1, "Running");
        pods[1] = TestJobs.Worker(1, 1, "Failed");

        var plan = Plan(1, 0, pods);

        Assert.Equal(AttemptAction.Restart, plan.Action);
        Assert.Equal([1], plan.FailedRanks);
        Assert.Empty(plan.RanksToCreate);
        Assert.Equal(1, plan.Counts.Failed);
    }

    [Fact]
    public void A_failure_takes_precedence_over_missing_ranks()
    {
        var plan = Plan(1, 0, [TestJobs.Worker(0, 1, "Failed")]);

        Assert.Equal(AttemptAction.Restart, plan.Action);
        Assert.Empty(plan.RanksToCreate);
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(0, 0)]
    [InlineData(2, 5)]
    public void A_failed_worker_fails_the_job_once_the_backoff_limit_is_used_up(int backoffLimit, int restarts)
    {
        var plan = Plan(restarts + 1, restarts, [TestJobs.Worker(0, restarts + 1, "Failed")], backoffLimit);

        Assert.Equal(AttemptAction.FailBackoffLimitExceeded, plan.Action);
    }

    [Fact]
    public void Failed_pods_of_an_earlier_attempt_never_count_again()
    {
        // The restart was persisted (attempt 2); the failed pod of attempt 1 is still terminating.
        var plan = Plan(2, 1, [TestJobs.Worker(1, 1, "Failed"), TestJobs.Worker(0, 1, "Running")]);

        Assert.Equal(AttemptAction.CreateWorkers, plan.Action);
        Assert.Empty(plan.FailedRanks);
        Assert.Equal(2, plan.StalePods.Count);
        Assert.Equal(0, plan.Counts.Failed);
    }

    [Fact]
    public void Ranks_whose_name_a_stale_pod_still_holds_wait_for_it_to_go()
    {
        var plan = Plan(2, 1, [TestJobs.Worker(1, 1, "Failed"), TestJobs.Worker(0, 2, "Pending")]);

        Assert.Equal([2, 3], plan.RanksToCreate);
        Assert.Equal([1], plan.BlockedRanks);
        Assert.Equal("cxr-train-worker-1", Assert.Single(plan.StalePods).Metadata.Name);
    }

    [Fact]
    public void Pods_without_an_attempt_label_or_beyond_the_worker_count_are_stale()
    {
        var unlabelled = TestJobs.Worker(0, 1, "Running");
        unlabelled.Metadata.Labels.Remove("medops.io/attempt");
        var extra = TestJobs.Worker(4, 1, "Running");

        var plan = Plan(1, 0, [unlabelled, extra]);

        Assert.Equal(2, plan.StalePods.Count);
        Assert.Equal([1, 2, 3], plan.RanksToCreate);
        Assert.Equal([0], plan.BlockedRanks);
    }

    [Fact]
    public void A_pod_that_survived_a_crash_is_kept_and_only_the_other_ranks_are_created()
    {
        // The operator created worker 0 of attempt 1 and died before worker 1.
        var plan = Plan(1, 0, [TestJobs.Worker(0, 1, null)]);

        Assert.Equal([1, 2, 3], plan.RanksToCreate);
        Assert.Empty(plan.StalePods);
    }
}
