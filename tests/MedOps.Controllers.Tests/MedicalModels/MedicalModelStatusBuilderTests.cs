using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Approvals;
using MedOps.Controllers.MedicalModels;
using MedOps.Controllers.Shared;
using MedOps.Runtime.Status;

namespace MedOps.Controllers.Tests.MedicalModels;

public sealed class MedicalModelStatusBuilderTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc);

    private static V1Deployment Deployment(int? specReplicas, int replicas, int ready, int updated, long generation = 1, long observed = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = TestModels.Name, Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = specReplicas },
        Status = new V1DeploymentStatus { Replicas = replicas, ReadyReplicas = ready, UpdatedReplicas = updated, ObservedGeneration = observed },
    };

    private static V1Alpha1MedicalModelStatus Build(V1Alpha1MedicalModel model, V1Deployment? deployment, SourceResolution? source = null, Problem? problem = null) =>
        MedicalModelStatusBuilder.Build(new ModelObservation
        {
            Model = model,
            Deployment = deployment,
            Source = source ?? new SourceResolution.Resolved("pvc://models/chest-xray/1.4.0", null, null),
            Problem = problem,
            Now = Now,
        });

    [Fact]
    public void A_fully_rolled_out_deployment_makes_the_model_ready_and_available_without_reconciling()
    {
        var model = TestModels.ChestXray(s => s.Replicas = 2);
        model.Metadata.Generation = 3;
        var status = Build(model, Deployment(2, 2, 2, 2));

        Assert.Equal(MedicalModelPhase.Ready, status.Phase);
        Assert.Equal(3, status.ObservedGeneration);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Available));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Reconciling));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
        Assert.Equal((2, 2), (status.Replicas, status.ReadyReplicas));
        Assert.Equal("pvc://models/chest-xray/1.4.0", status.ModelUri);
    }

    [Fact]
    public void A_rollout_in_progress_is_deploying_and_reconciling()
    {
        var status = Build(TestModels.ChestXray(s => s.Replicas = 2), Deployment(2, 3, 2, 1));
        Assert.Equal(MedicalModelPhase.Deploying, status.Phase);
        Assert.False(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Reconciling));
    }

    [Fact]
    public void A_deployment_not_yet_observed_by_its_controller_is_not_ready()
    {
        var status = Build(TestModels.ChestXray(s => s.Replicas = 1), Deployment(1, 1, 1, 1, generation: 2, observed: 1));
        Assert.Equal(MedicalModelPhase.Deploying, status.Phase);
    }

    [Fact]
    public void Losing_replicas_after_being_ready_is_degraded()
    {
        var model = TestModels.ChestXray(s => s.Replicas = 3);
        model.Status = new V1Alpha1MedicalModelStatus { Phase = MedicalModelPhase.Ready };
        var status = Build(model, Deployment(3, 3, 1, 3));
        Assert.Equal(MedicalModelPhase.Degraded, status.Phase);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Available));
        Assert.False(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
    }

    [Fact]
    public void With_autoscaling_the_model_is_not_ready_below_min_replicas_before_the_hpa_scales()
    {
        var model = TestModels.ChestXray(s => s.Autoscaling = new ModelAutoscaling { MinReplicas = 2, MaxReplicas = 4 });
        Assert.Equal(MedicalModelPhase.Deploying, Build(model, Deployment(1, 1, 1, 1)).Phase);
        Assert.Equal(MedicalModelPhase.Ready, Build(model, Deployment(2, 2, 2, 2)).Phase);
        Assert.Equal(MedicalModelPhase.Ready, Build(model, Deployment(3, 3, 3, 3)).Phase);
    }

    [Fact]
    public void Suspended_at_zero_replicas_is_ready_because_the_stop_was_asked_for()
    {
        var status = Build(TestModels.ChestXray(s => s.Suspend = true), Deployment(0, 0, 0, 0));
        Assert.Equal(MedicalModelPhase.Suspended, status.Phase);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.False(Conditions.IsTrue(status.Conditions, ConditionTypes.Available));
    }

    [Fact]
    public void Suspending_while_pods_remain_is_still_deploying()
    {
        var status = Build(TestModels.ChestXray(s => s.Suspend = true), Deployment(0, 1, 1, 1));
        Assert.Equal(MedicalModelPhase.Deploying, status.Phase);
    }

    [Fact]
    public void A_rollout_past_its_progress_deadline_fails()
    {
        var deployment = Deployment(1, 1, 0, 1);
        deployment.Status.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "image pull" }];
        var status = Build(TestModels.ChestXray(), deployment);
        Assert.Equal(MedicalModelPhase.Failed, status.Phase);
        Assert.Equal("ProgressDeadlineExceeded", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.Equal("ProgressDeadlineExceeded", Conditions.Find(status.Conditions, ConditionTypes.Stalled)!.Reason);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Stalled));
    }

    [Fact]
    public void A_refused_child_write_shows_as_not_ready_apply_failed_but_not_stalled()
    {
        var model = TestModels.ChestXray();
        model.Status = new V1Alpha1MedicalModelStatus { Phase = MedicalModelPhase.Ready };
        var status = MedicalModelStatusBuilder.Build(new ModelObservation
        {
            Model = model,
            Deployment = Deployment(1, 1, 1, 1),
            Source = new SourceResolution.Resolved("pvc://models/a", null, null),
            ApplyError = "the API server refused a child object: 500: range is full",
            Now = Now,
        });
        Assert.Equal(MedicalModelPhase.Degraded, status.Phase);
        Assert.Equal("ApplyFailed", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.False(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Reconciling));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
    }

    [Fact]
    public void A_problem_is_stalled_with_the_same_reason_on_ready_and_stalled()
    {
        var status = Build(TestModels.ChestXray(), null, problem: new Problem("InvalidSource", "set exactly one"));
        Assert.Equal(MedicalModelPhase.Failed, status.Phase);
        Assert.Equal("InvalidSource", Conditions.Find(status.Conditions, ConditionTypes.Stalled)!.Reason);
        Assert.Equal("InvalidSource", Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Stalled));
    }

    [Fact]
    public void Waiting_for_a_training_job_is_pending_not_stalled_and_carries_the_lineage()
    {
        var lineage = new ModelLineage { TrainingJob = "train", DatasetClaim = "cxr-2024" };
        var status = Build(TestModels.ChestXray(), null, source: new SourceResolution.Waiting("waiting", lineage));
        Assert.Equal(MedicalModelPhase.Pending, status.Phase);
        Assert.Equal(ConditionReasons.WaitingForTrainingJob, Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
        Assert.Equal("train", status.Lineage!.TrainingJob);
    }

    [Fact]
    public void A_fixed_problem_removes_stalled_and_an_unchanged_condition_keeps_its_transition_time()
    {
        var model = TestModels.ChestXray();
        model.Status = Build(model, null, problem: new Problem("InvalidSource", "x"));
        model.Status = Observe(model, Now.AddMinutes(1));
        Assert.Null(Conditions.Find(model.Status.Conditions, ConditionTypes.Stalled));
        Assert.Equal(Now.AddMinutes(1), Conditions.Find(model.Status.Conditions, ConditionTypes.Ready)!.LastTransitionTime);

        var later = Observe(model, Now.AddMinutes(5));
        Assert.Equal(Now.AddMinutes(1), Conditions.Find(later.Conditions, ConditionTypes.Ready)!.LastTransitionTime);
    }

    private static V1Alpha1MedicalModelStatus Build(V1Alpha1MedicalModel model, V1Deployment? deployment, ApprovalDecision approval, string? applyError = null) =>
        MedicalModelStatusBuilder.Build(new ModelObservation
        {
            Model = model,
            Deployment = deployment,
            Source = new SourceResolution.Resolved("pvc://models/chest-xray/1.4.0", null, null),
            Approval = approval,
            ApplyError = applyError,
            Now = Now,
        });

    private static ApprovedModelVersion Version140(string? approval = "chest-xray-1-4-0") =>
        new() { Version = "1.4.0", Digest = TestModels.Digest, Approval = approval, Approver = approval is null ? null : "bob" };

    private static ApprovalDecision Held(string reason = MedicalModelReasons.AwaitingApproval, ModelApprovalState state = ModelApprovalState.AwaitingApproval) =>
        new(ApprovalAction.Hold, new ModelApprovalStatus { State = state, Pending = Version140(null) }, reason, "not serving until approved: a second person must approve");

    [Fact]
    public void A_held_model_awaits_approval_reconciling_and_not_ready_but_never_stalled()
    {
        var held = Held();
        var status = Build(TestModels.ChestXray(), Deployment(0, 0, 0, 0), held);

        Assert.Equal(MedicalModelPhase.AwaitingApproval, status.Phase);
        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(("False", MedicalModelReasons.AwaitingApproval, held.Message), (ready.Status, ready.Reason, ready.Message));
        var reconciling = Conditions.Find(status.Conditions, ConditionTypes.Reconciling)!;
        Assert.Equal(("True", MedicalModelReasons.AwaitingApproval), (reconciling.Status, reconciling.Reason));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
        Assert.False(Conditions.IsTrue(status.Conditions, ConditionTypes.Available));
        Assert.Same(held.Status, status.Approval);
    }

    [Fact]
    public void A_held_model_is_awaiting_approval_even_when_its_deployment_looks_rolled_out_or_stuck()
    {
        var stuck = Deployment(0, 0, 0, 0);
        stuck.Status.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "image pull" }];

        foreach (var deployment in new[] { Deployment(2, 2, 2, 2), stuck, null })
        {
            var status = Build(TestModels.ChestXray(), deployment, Held());

            Assert.Equal(MedicalModelPhase.AwaitingApproval, status.Phase);
            Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
            Assert.False(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        }
    }

    [Fact]
    public void A_revoked_model_awaits_approval_with_the_revocation_as_reason()
    {
        var status = Build(TestModels.ChestXray(), Deployment(0, 0, 0, 0), Held(MedicalModelReasons.ApprovalRevoked, ModelApprovalState.Revoked));

        Assert.Equal(MedicalModelPhase.AwaitingApproval, status.Phase);
        Assert.Equal(MedicalModelReasons.ApprovalRevoked, Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.Equal(MedicalModelReasons.ApprovalRevoked, Conditions.Find(status.Conditions, ConditionTypes.Reconciling)!.Reason);
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
        Assert.Equal(ModelApprovalState.Revoked, status.Approval!.State);
    }

    [Fact]
    public void While_the_approved_version_keeps_serving_the_model_awaits_approval_and_stays_available()
    {
        var model = TestModels.ChestXray(s => s.Replicas = 2);
        model.Status = new V1Alpha1MedicalModelStatus { Phase = MedicalModelPhase.Ready };
        var keep = new ApprovalDecision(ApprovalAction.Keep,
            new ModelApprovalStatus { State = ModelApprovalState.AwaitingApproval, Approved = Version140(), Pending = new ApprovedModelVersion { Version = "1.5.0" } },
            MedicalModelReasons.AwaitingApproval, "version 1.4.0 (approved by bob) keeps serving");

        var status = Build(model, Deployment(2, 2, 2, 2), keep);

        Assert.Equal(MedicalModelPhase.AwaitingApproval, status.Phase);
        Assert.Equal((2, 2), (status.Replicas, status.ReadyReplicas));
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Available));
        Assert.False(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Reconciling));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
        Assert.Equal("1.4.0", status.Approval!.Approved!.Version);
        Assert.Equal("1.5.0", status.Approval.Pending!.Version);
    }

    [Fact]
    public void Awaiting_approval_after_a_problem_removes_stalled()
    {
        var model = TestModels.ChestXray();
        model.Status = Build(model, null, problem: new Problem("InvalidSource", "set exactly one"));
        Assert.True(Conditions.IsTrue(model.Status.Conditions, ConditionTypes.Stalled));

        var status = Build(model, Deployment(0, 0, 0, 0), Held());

        Assert.Equal(MedicalModelPhase.AwaitingApproval, status.Phase);
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
    }

    [Fact]
    public void An_approved_version_rolls_out_as_usual_and_reports_its_approval()
    {
        var approved = new ApprovalDecision(ApprovalAction.Apply, new ModelApprovalStatus { State = ModelApprovalState.Approved, Approved = Version140() });

        var status = Build(TestModels.ChestXray(s => s.Replicas = 2), Deployment(2, 2, 2, 2), approved);

        Assert.Equal(MedicalModelPhase.Ready, status.Phase);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Ready));
        Assert.Same(approved.Status, status.Approval);
    }

    [Fact]
    public void A_research_model_has_no_approval_status_even_if_it_had_one_before()
    {
        var model = TestModels.ChestXray(s => s.Replicas = 2);
        model.Status = new V1Alpha1MedicalModelStatus { Approval = new ModelApprovalStatus { State = ModelApprovalState.Approved, Approved = Version140() } };

        var status = Build(model, Deployment(2, 2, 2, 2), new ApprovalDecision(ApprovalAction.Apply, null));

        Assert.Null(status.Approval);
        Assert.Equal(MedicalModelPhase.Ready, status.Phase);
    }

    [Fact]
    public void Until_the_gate_is_reached_again_the_previous_approval_status_stands()
    {
        var model = TestModels.ChestXray();
        var previous = new ModelApprovalStatus { State = ModelApprovalState.Approved, Approved = Version140() };
        model.Status = new V1Alpha1MedicalModelStatus { Approval = previous };

        var failed = Build(model, null, problem: new Problem("InvalidSource", "set exactly one"));
        var waiting = Build(model, null, source: new SourceResolution.Waiting("waiting", new ModelLineage { TrainingJob = "train" }));

        Assert.Same(previous, failed.Approval);
        Assert.Same(previous, waiting.Approval);
    }

    [Fact]
    public void A_refused_child_write_while_held_shows_the_apply_failure_not_stalled()
    {
        var status = Build(TestModels.ChestXray(), Deployment(0, 0, 0, 0), Held(), "the API server refused a child object: 403: quota");

        Assert.Equal(MedicalModelReasons.ApplyFailed, Conditions.Find(status.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.True(Conditions.IsTrue(status.Conditions, ConditionTypes.Reconciling));
        Assert.Null(Conditions.Find(status.Conditions, ConditionTypes.Stalled));
    }

    private static V1Alpha1MedicalModelStatus Observe(V1Alpha1MedicalModel model, DateTime now) =>
        MedicalModelStatusBuilder.Build(new ModelObservation
        {
            Model = model,
            Deployment = Deployment(1, 1, 1, 1),
            Source = new SourceResolution.Resolved("pvc://models/a", null, null),
            Now = now,
        });
}
