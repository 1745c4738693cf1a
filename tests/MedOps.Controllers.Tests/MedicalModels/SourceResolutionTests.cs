using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels;
using MedOps.Controllers.Tests.TrainingJobs;

namespace MedOps.Controllers.Tests.MedicalModels;

public class SourceResolutionTests
{
    private const string OutputUri = "pvc://models/chest-xray/1.5.0";

    private static V1Alpha1MedicalModel TrainedBy(string job, ModelLineage? recorded = null)
    {
        var model = TestModels.ChestXray(s => s.Source = new ModelSource { TrainingJobRef = new TrainingJobReference { Name = job } });
        model.Status = recorded is null ? null : new V1Alpha1MedicalModelStatus { ModelUri = recorded.OutputUri, Lineage = recorded };
        return model;
    }

    private static V1Alpha1TrainingJob Succeeded()
    {
        var job = TestJobs.ChestXray();
        job.Status = new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Succeeded, OutputUri = OutputUri };
        return job;
    }

    [Fact]
    public void A_uri_source_resolves_to_itself_without_lineage()
    {
        var resolved = Assert.IsType<SourceResolution.Resolved>(SourceResolution.Resolve(TestModels.ChestXray(), _ => null));

        Assert.Equal(TestModels.ChestXray().Spec.Source.Uri, resolved.Uri);
        Assert.Null(resolved.Lineage);
    }

    [Fact]
    public void A_succeeded_job_resolves_to_its_output_with_job_dataset_and_output_in_the_lineage()
    {
        var job = Succeeded();
        var resolved = Assert.IsType<SourceResolution.Resolved>(SourceResolution.Resolve(TrainedBy(job.Metadata.Name), _ => job));

        Assert.Equal(OutputUri, resolved.Uri);
        Assert.Equal(job.Metadata.Name, resolved.Lineage!.TrainingJob);
        Assert.Equal("cxr-2024", resolved.Lineage.DatasetClaim);
        Assert.Equal(OutputUri, resolved.Lineage.OutputUri);
    }

    private const string JobDigest = "sha256:4b2c0e2b1f4cbd3a0d4a1c4b5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081";
    private const string OwnPin = "sha256:0000000000000000000000000000000000000000000000000000000000000001";

    [Fact]
    public void The_jobs_output_digest_is_in_the_lineage_and_is_verified_when_the_model_pins_nothing()
    {
        var job = Succeeded();
        job.Status!.OutputDigest = JobDigest;

        var resolved = Assert.IsType<SourceResolution.Resolved>(SourceResolution.Resolve(TrainedBy(job.Metadata.Name), _ => job));

        Assert.Equal(JobDigest, resolved.Lineage!.Digest);
        Assert.Equal(JobDigest, resolved.Digest);
    }

    [Fact]
    public void The_models_own_pin_wins_over_the_jobs_digest()
    {
        var job = Succeeded();
        job.Status!.OutputDigest = JobDigest;
        var model = TrainedBy(job.Metadata.Name);
        model.Spec.Source.Digest = OwnPin;

        var resolved = Assert.IsType<SourceResolution.Resolved>(SourceResolution.Resolve(model, _ => job));

        Assert.Equal(OwnPin, resolved.Digest);
        Assert.Equal(JobDigest, resolved.Lineage!.Digest);
    }

    [Fact]
    public void After_the_job_is_gone_the_recorded_digest_is_still_verified()
    {
        var recorded = new ModelLineage { TrainingJob = TestJobs.Name, DatasetClaim = "cxr-2024", OutputUri = OutputUri, Digest = JobDigest };

        var resolved = Assert.IsType<SourceResolution.Resolved>(SourceResolution.Resolve(TrainedBy(TestJobs.Name, recorded), _ => null));

        Assert.Equal((OutputUri, JobDigest), (resolved.Uri, resolved.Digest));
    }

    [Fact]
    public void A_job_without_a_digest_leaves_the_model_unpinned()
    {
        var job = Succeeded();

        var resolved = Assert.IsType<SourceResolution.Resolved>(SourceResolution.Resolve(TrainedBy(job.Metadata.Name), _ => job));

        Assert.Null(resolved.Digest);
        Assert.Null(resolved.Lineage!.Digest);
    }

    [Fact]
    public void A_running_job_is_waited_for()
    {
        var job = TestJobs.ChestXray();
        job.Status = new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Running };

        var waiting = Assert.IsType<SourceResolution.Waiting>(SourceResolution.Resolve(TrainedBy(job.Metadata.Name), _ => job));

        Assert.Contains("now Running", waiting.Message, StringComparison.Ordinal);
        Assert.Null(waiting.Lineage!.OutputUri);
    }

    [Fact]
    public void A_failed_job_is_a_problem_not_something_to_wait_for()
    {
        var job = TestJobs.ChestXray();
        job.Status = new V1Alpha1TrainingJobStatus
        {
            Phase = TrainingJobPhase.Failed,
            Conditions = [new k8s.Models.V1Condition { Type = ConditionTypes.Failed, Status = "True", Reason = ConditionReasons.BackoffLimitExceeded, Message = "x" }],
        };

        var problem = Assert.IsType<SourceResolution.Unresolvable>(SourceResolution.Resolve(TrainedBy(job.Metadata.Name), _ => job));

        Assert.Equal(MedicalModelReasons.TrainingJobFailed, problem.Problem.Reason);
        Assert.Contains("BackoffLimitExceeded", problem.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_deleted_after_it_produced_the_model_leaves_the_model_on_the_recorded_output()
    {
        var recorded = new ModelLineage { TrainingJob = "chest-xray-train", DatasetClaim = "cxr-2024", OutputUri = OutputUri };

        var resolved = Assert.IsType<SourceResolution.Resolved>(SourceResolution.Resolve(TrainedBy("chest-xray-train", recorded), _ => null));

        Assert.Equal(OutputUri, resolved.Uri);
        Assert.Same(recorded, resolved.Lineage);
    }

    [Fact]
    public void A_missing_job_that_never_produced_this_model_is_a_problem()
    {
        var problem = Assert.IsType<SourceResolution.Unresolvable>(SourceResolution.Resolve(TrainedBy("chest-xray-train"), _ => null));

        Assert.Equal(MedicalModelReasons.TrainingJobNotFound, problem.Problem.Reason);
        Assert.Contains("chest-xray-train", problem.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_recorded_from_another_job_does_not_stand_in_for_a_missing_one()
    {
        // The reference was changed to a job that does not exist: the old job's output is not it.
        var recorded = new ModelLineage { TrainingJob = "older-train", OutputUri = OutputUri };

        var problem = Assert.IsType<SourceResolution.Unresolvable>(SourceResolution.Resolve(TrainedBy("chest-xray-train", recorded), _ => null));

        Assert.Equal(MedicalModelReasons.TrainingJobNotFound, problem.Problem.Reason);
    }
}
