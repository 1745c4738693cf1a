using k8s.Models;
using MedOps.Controllers.TrainingJobs;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class WorkerFailureTests
{
    private static V1Pod Pod(V1ContainerStateTerminated? terminated = null, string? reason = null, string? message = null, string name = "cxr-train-worker-0", string attempt = "1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["medops.io/attempt"] = attempt } },
        Status = new V1PodStatus
        {
            Phase = "Failed",
            Reason = reason,
            Message = message,
            ContainerStatuses = terminated is null ? null : [new V1ContainerStatus { Name = "worker", State = new V1ContainerState { Terminated = terminated } }],
        },
    };

    [Fact]
    public void A_container_that_exited_non_zero_is_named_by_its_code_reason_and_message_on_one_line()
    {
        var pod = Pod(new V1ContainerStateTerminated { ExitCode = 1, Reason = "Error", Message = "Traceback:\n  ValueError: no data\n" });

        Assert.Equal("exited with code 1 (Error): Traceback: ValueError: no data", WorkerFailure.Describe(pod));
    }

    [Fact]
    public void A_long_message_is_cut()
    {
        var pod = Pod(new V1ContainerStateTerminated { ExitCode = 137, Reason = "OOMKilled", Message = new string('x', 500) });

        var text = WorkerFailure.Describe(pod);

        Assert.StartsWith("exited with code 137 (OOMKilled): xxx", text, StringComparison.Ordinal);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.True(text.Length < 260, text);
    }

    [Fact]
    public void An_evicted_pod_says_so_with_the_kubelets_message()
    {
        Assert.Equal("was evicted: The node was low on resource: memory.", WorkerFailure.Describe(Pod(reason: "Evicted", message: "The node was low on resource: memory.")));
    }

    [Fact]
    public void A_pod_that_says_nothing_or_no_pod_just_failed()
    {
        Assert.Equal("failed", WorkerFailure.Describe(Pod()));
        Assert.Equal("failed", WorkerFailure.Describe(null));
    }

    [Fact]
    public void Ranks_are_described_from_their_pods_of_the_attempt_only()
    {
        var pods = new[]
        {
            Pod(new V1ContainerStateTerminated { ExitCode = 2 }, name: "cxr-train-worker-0", attempt: "1"),
            Pod(new V1ContainerStateTerminated { ExitCode = 1 }, name: "cxr-train-worker-0", attempt: "2"),
        };

        Assert.Equal("worker 0 exited with code 1; worker 1 failed", WorkerFailure.DescribeRanks("cxr-train", 2, [0, 1], pods));
    }
}
