using k8s.Models;
using MedOps.Controllers.TrainingJobs;
using MedOps.Controllers.TrainingJobs.Builders;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class OutputDigestStepTests
{
    private static readonly string Digest = "sha256:" + new string('c', 64);

    private static V1Pod DigestPod(int attempt, string? phase, V1ContainerStateTerminated? terminated = null)
    {
        var pod = OutputDigestPodBuilder.Build(TestJobs.ChestXray(), attempt, "localhost/medops/model-initializer:0.1.0");
        pod.Status = phase is null ? null : new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses = terminated is null ? null : [new V1ContainerStatus { Name = "model-initializer", State = new V1ContainerState { Terminated = terminated } }],
        };
        return pod;
    }

    [Fact]
    public void Only_the_digest_pod_of_the_attempt_counts()
    {
        var pods = new[] { TestJobs.Worker(0, 2, "Succeeded"), DigestPod(1, "Succeeded") };

        Assert.Null(OutputDigestStep.PodOf(2, pods));
        Assert.Same(pods[1], OutputDigestStep.PodOf(1, pods));
        Assert.IsType<OutputDigestOutcome.NotStarted>(OutputDigestStep.Read(OutputDigestStep.PodOf(2, pods)));
    }

    [Fact]
    public void A_pod_being_deleted_is_not_the_step()
    {
        var pod = DigestPod(1, "Running");
        pod.Metadata.DeletionTimestamp = DateTime.UtcNow;

        Assert.Null(OutputDigestStep.PodOf(1, [pod]));
    }

    [Fact]
    public void A_success_with_a_computed_line_gives_the_digest()
    {
        var outcome = OutputDigestStep.Read(DigestPod(1, "Succeeded", new V1ContainerStateTerminated { ExitCode = 0, Message = "Computed: " + Digest }));

        Assert.Equal(Digest, Assert.IsType<OutputDigestOutcome.Computed>(outcome).Digest);
    }

    [Fact]
    public void A_success_without_one_is_an_unknown_digest_that_says_why()
    {
        var outcome = OutputDigestStep.Read(DigestPod(1, "Succeeded", new V1ContainerStateTerminated { ExitCode = 0 }));

        var unknown = Assert.IsType<OutputDigestOutcome.Unknown>(outcome);
        Assert.Contains("cxr-train-output-digest succeeded without reporting a digest", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_quotes_the_initializers_reason()
    {
        var outcome = OutputDigestStep.Read(DigestPod(1, "Failed",
            new V1ContainerStateTerminated { ExitCode = 1, Message = "UnsafeContent: model.bin is a symlink that points out of the model folder" }));

        var failed = Assert.IsType<OutputDigestOutcome.Failed>(outcome);
        Assert.Equal("UnsafeContent", failed.Reason);
        Assert.Contains("exit code 1", failed.Message, StringComparison.Ordinal);
        Assert.Contains("symlink that points out", failed.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl logs cxr-train-output-digest", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pending_pod_is_in_progress_with_the_schedulers_reason_when_it_gives_one()
    {
        var waiting = OutputDigestStep.Read(DigestPod(1, "Pending"));
        var unschedulable = DigestPod(1, "Pending");
        unschedulable.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector." }];

        Assert.Null(Assert.IsType<OutputDigestOutcome.InProgress>(waiting).Problem);
        var problem = Assert.IsType<OutputDigestOutcome.InProgress>(OutputDigestStep.Read(unschedulable)).Problem;
        Assert.Equal("Unschedulable", problem!.Reason);
        Assert.Contains("didn't match", problem.Message, StringComparison.Ordinal);
    }
}
