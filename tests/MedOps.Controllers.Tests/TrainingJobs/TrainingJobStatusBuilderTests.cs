using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs;
using MedOps.Runtime.Status;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class TrainingJobStatusBuilderTests
{
    private static readonly DateTime Now = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static V1Alpha1TrainingJobStatus Build(TrainingJobPhase phase, string reason, bool stalled = false, V1Alpha1TrainingJob? job = null) =>
        TrainingJobStatusBuilder.Build(job ?? TestJobs.ChestXray(), new TrainingJobState
        {
            Phase = phase,
            Reason = reason,
            Message = "message",
            Stalled = stalled,
            Attempt = 2,
            Restarts = 1,
            Workers = new WorkerCounts { Active = 3, Succeeded = 1 },
            StartTime = Now.AddMinutes(-5),
        }, Now);

    private static string? Status(V1Alpha1TrainingJobStatus status, string type) => Conditions.Find(status.Conditions, type)?.Status;

    [Fact]
    public void The_fields_follow_the_state_and_the_output_uri_the_spec()
    {
        var status = Build(TrainingJobPhase.Running, "WorkersRunning");

        Assert.Equal(2, status.ObservedGeneration);
        Assert.Equal(TrainingJobPhase.Running, status.Phase);
        Assert.Equal(2, status.Attempt);
        Assert.Equal(1, status.Restarts);
        Assert.Equal((3, 1, 0), (status.Workers!.Active, status.Workers.Succeeded, status.Workers.Failed));
        Assert.Equal(Now.AddMinutes(-5), status.StartTime);
        Assert.Null(status.CompletionTime);
        Assert.Equal("pvc://models/chest-xray/1.5.0", status.OutputUri);
    }

    [Fact]
    public void A_running_job_is_reconciling_and_running_but_not_ready()
    {
        var status = Build(TrainingJobPhase.Running, "WorkersRunning");

        Assert.Equal("False", Status(status, ConditionTypes.Ready));
        Assert.Equal("True", Status(status, ConditionTypes.Reconciling));
        Assert.Equal("True", Status(status, ConditionTypes.Running));
        Assert.Null(Status(status, ConditionTypes.Stalled));
        Assert.Null(Status(status, ConditionTypes.Succeeded));
        Assert.Null(Status(status, ConditionTypes.Failed));
        Assert.Null(Status(status, ConditionTypes.Suspended));
        Assert.All(status.Conditions!, c => Assert.Equal(2, c.ObservedGeneration));
    }

    [Theory]
    [InlineData(TrainingJobPhase.Pending)]
    [InlineData(TrainingJobPhase.Restarting)]
    public void Pending_and_restarting_jobs_are_reconciling_and_not_running(TrainingJobPhase phase)
    {
        var status = Build(phase, "X");

        Assert.Equal("True", Status(status, ConditionTypes.Reconciling));
        Assert.Equal("False", Status(status, ConditionTypes.Running));
        Assert.Equal("False", Status(status, ConditionTypes.Ready));
    }

    [Fact]
    public void A_succeeded_job_is_ready_and_done()
    {
        var status = Build(TrainingJobPhase.Succeeded, "Succeeded");

        Assert.Equal("True", Status(status, ConditionTypes.Ready));
        Assert.Equal("True", Status(status, ConditionTypes.Succeeded));
        Assert.Equal("False", Status(status, ConditionTypes.Running));
        Assert.Null(Status(status, ConditionTypes.Reconciling));
        Assert.Null(Status(status, ConditionTypes.Stalled));
        Assert.Null(Status(status, ConditionTypes.Failed));
    }

    [Theory]
    [InlineData(ConditionReasons.BackoffLimitExceeded)]
    [InlineData(ConditionReasons.DeadlineExceeded)]
    public void A_failed_job_is_stalled_with_the_same_reason_as_ready(string reason)
    {
        var status = Build(TrainingJobPhase.Failed, reason);

        foreach (var type in new[] { ConditionTypes.Ready, ConditionTypes.Stalled, ConditionTypes.Failed })
        {
            Assert.Equal(reason, Conditions.Find(status.Conditions, type)!.Reason);
        }
        Assert.Equal("False", Status(status, ConditionTypes.Ready));
        Assert.Equal("True", Status(status, ConditionTypes.Stalled));
        Assert.Equal("True", Status(status, ConditionTypes.Failed));
        Assert.Null(Status(status, ConditionTypes.Reconciling));
    }

    [Fact]
    public void A_missing_claim_stalls_a_pending_job_without_failing_it()
    {
        var status = Build(TrainingJobPhase.Pending, "DatasetClaimNotFound", stalled: true);

        Assert.Equal("DatasetClaimNotFound", Conditions.Find(status.Conditions, ConditionTypes.Stalled)!.Reason);
        Assert.Equal("DatasetClaimNotFound", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.Null(Status(status, ConditionTypes.Reconciling));
        Assert.Null(Status(status, ConditionTypes.Failed));
    }

    [Fact]
    public void A_healed_job_loses_the_stalled_condition()
    {
        var job = TestJobs.ChestXray();
        job.Status = Build(TrainingJobPhase.Pending, "OutputClaimNotFound", stalled: true);

        var status = Build(TrainingJobPhase.Pending, "WorkersPending", job: job);

        Assert.Null(Status(status, ConditionTypes.Stalled));
        Assert.Equal("True", Status(status, ConditionTypes.Reconciling));
    }

    [Fact]
    public void A_suspended_job_is_not_ready_and_not_reconciling_and_resuming_keeps_the_condition_false()
    {
        var job = TestJobs.ChestXray();
        var suspended = Build(TrainingJobPhase.Suspended, "Suspended", job: job);
        Assert.Equal("True", Status(suspended, ConditionTypes.Suspended));
        Assert.Equal("Suspended", Conditions.Find(suspended.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.Equal("False", Status(suspended, ConditionTypes.Ready));
        Assert.Null(Status(suspended, ConditionTypes.Reconciling));

        job.Status = suspended;
        var resumed = Build(TrainingJobPhase.Pending, "WorkersPending", job: job);
        Assert.Equal("False", Status(resumed, ConditionTypes.Suspended));
        Assert.Equal("Resumed", Conditions.Find(resumed.Conditions, ConditionTypes.Suspended)!.Reason);
    }

    [Fact]
    public void Transition_times_move_only_when_a_status_changes()
    {
        var job = TestJobs.ChestXray();
        job.Status = Build(TrainingJobPhase.Pending, "WorkersPending");

        var later = TrainingJobStatusBuilder.Build(job, new TrainingJobState { Phase = TrainingJobPhase.Pending, Reason = "WorkersPending", Message = "other" }, Now.AddMinutes(1));

        Assert.All(later.Conditions!, c => Assert.Equal(Now, c.LastTransitionTime));
    }

    [Fact]
    public void No_attempt_yet_leaves_the_attempt_out()
    {
        var status = TrainingJobStatusBuilder.Build(TestJobs.ChestXray(), new TrainingJobState { Phase = TrainingJobPhase.Pending, Reason = "R", Message = "M" }, Now);

        Assert.Null(status.Attempt);
        Assert.Equal(0, status.Restarts);
    }

    [Fact]
    public void Progress_is_running_once_every_worker_runs()
    {
        var plan = AttemptPlanner.Plan(TestJobs.ChestXray(), 1, 0, TestJobs.Workers(4, 1, "Running"));

        Assert.Equal(TrainingJobPhase.Running, TrainingJobStatusBuilder.WorkersProgress(4, 1, 0, plan).Phase);
    }

    [Fact]
    public void Progress_is_pending_while_workers_start()
    {
        var plan = AttemptPlanner.Plan(TestJobs.ChestXray(), 1, 0, [TestJobs.Worker(0, 1, "Running")]);
        var (phase, reason, message) = TrainingJobStatusBuilder.WorkersProgress(4, 1, 0, plan);

        Assert.Equal(TrainingJobPhase.Pending, phase);
        Assert.Equal("WorkersPending", reason);
        Assert.Equal("1/4 workers running (attempt 1)", message);
    }

    [Fact]
    public void Progress_is_restarting_while_the_previous_attempts_pods_are_in_the_way()
    {
        var plan = AttemptPlanner.Plan(TestJobs.ChestXray(), 2, 1, [TestJobs.Worker(1, 1, "Failed")]);

        Assert.Equal(TrainingJobPhase.Restarting, TrainingJobStatusBuilder.WorkersProgress(4, 2, 1, plan).Phase);
    }
}
