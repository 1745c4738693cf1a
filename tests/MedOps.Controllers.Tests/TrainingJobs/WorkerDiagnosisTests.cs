using k8s.Models;
using MedOps.Controllers.TrainingJobs;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class WorkerDiagnosisTests
{
    private static V1Pod Worker(int rank, int attempt, V1PodCondition? condition = null, string? waiting = null)
    {
        var pod = TestJobs.Worker(rank, attempt, "Pending");
        pod.Status.Conditions = condition is null ? null : [condition];
        pod.Status.ContainerStatuses = waiting is null ? null :
            [new V1ContainerStatus { Name = pod.Spec.Containers[0].Name, State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waiting, Message = "not found" } } }];
        return pod;
    }

    [Fact]
    public void The_schedulers_message_of_a_worker_of_the_attempt_is_the_jobs_reason()
    {
        var unschedulable = new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/4 nodes are available: 4 pod has unbound immediate PersistentVolumeClaims." };

        var problem = WorkerDiagnosis.FirstProblem(2, [Worker(0, 1, waiting: "ImagePullBackOff"), Worker(1, 2, condition: unschedulable)])!;

        Assert.Equal(TrainingJobReasons.Unschedulable, problem.Reason);
        Assert.Equal("pod cxr-train-worker-1 cannot be scheduled: 0/4 nodes are available: 4 pod has unbound immediate PersistentVolumeClaims.", problem.Message);
    }

    [Fact]
    public void An_image_that_cannot_be_pulled_names_the_image()
    {
        var problem = WorkerDiagnosis.FirstProblem(1, [Worker(0, 1, waiting: "ErrImagePull")])!;

        Assert.Equal(TrainingJobReasons.ImagePullFailed, problem.Reason);
        Assert.Contains($"cannot get its image {TestJobs.ChestXray().Spec.Image} (ErrImagePull): not found", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Workers_that_run_or_wait_quietly_have_no_problem()
    {
        Assert.Null(WorkerDiagnosis.FirstProblem(1, [Worker(0, 1), Worker(1, 1, waiting: "ContainerCreating")]));
    }
}
