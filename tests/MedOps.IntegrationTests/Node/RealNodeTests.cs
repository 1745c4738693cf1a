using k8s;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Node;

/// <summary>
/// The real worker node (hack/node-up.sh: kubelet and kube-proxy on containerd, bridge CNI, the
/// DNS stand-in) runs the images this repository builds (hack/images.sh): the sample trainer
/// really trains and writes its model, the sample server really loads it and passes a real HTTP
/// readiness probe, under the restricted profile enforced by runc; its Service answers from the
/// host through kube-proxy's rules and by name from another pod; a worker that really exits 1 is
/// reported with its code and termination message.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RealNodeTests(LocalCluster cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_trained_model_is_served_by_a_restricted_pod_that_answers_probes_logs_exec_and_inference_through_its_service()
    {
        await using var ns = await cluster.CreateNamespaceAsync("real-serve");
        await ApplyAsync(ns.Name, RealNodePods.TrainAndServe("diagnosis", ns.Name));

        var pod = await Eventually.WaitForAsync(
            () => cluster.Client.CoreV1.ReadNamespacedPodAsync("diagnosis", ns.Name),
            p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true || p.Status?.Phase == "Failed",
            Timeout,
            "the model server to pass its readiness probe");
        Assert.Equal(RealNodePods.NodeName, pod.Spec.NodeName);
        Assert.Equal("Running", pod.Status.Phase);
        Assert.Equal(0, pod.Status.InitContainerStatuses.Single().State.Terminated.ExitCode);

        var trainLog = await cluster.KubectlAsync("-n", ns.Name, "logs", "diagnosis", "-c", "train");
        Assert.True(trainLog.ExitCode == 0, trainLog.Output);
        Assert.Contains("accuracy", trainLog.StandardOutput, StringComparison.OrdinalIgnoreCase);
        var serveLog = await cluster.KubectlAsync("-n", ns.Name, "logs", "diagnosis", "-c", "server");
        Assert.True(serveLog.ExitCode == 0, serveLog.Output);
        Assert.Contains("/v2/health/ready", serveLog.StandardOutput, StringComparison.Ordinal);

        // Restricted, as runc applied it: a non-root uid, a read-only root filesystem.
        var id = await cluster.KubectlAsync("-n", ns.Name, "exec", "diagnosis", "-c", "server", "--", "python3", "-c",
            "import os; print(os.getuid(), os.getgid())");
        Assert.True(id.ExitCode == 0, id.Output);
        Assert.Equal("65532 65532", id.StandardOutput.Trim());
        var write = await cluster.KubectlAsync("-n", ns.Name, "exec", "diagnosis", "-c", "server", "--", "python3", "-c",
            "open('/opt/medops/x', 'w')");
        Assert.NotEqual(0, write.ExitCode);
        Assert.Contains("Read-only file system", write.Output, StringComparison.Ordinal);

        // The Service answers from the host (a ClusterIP through kube-proxy's rules).
        var service = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("diagnosis", ns.Name);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var answer = await Eventually.WaitForAsync(
            () => OpenInference.InferAsync(http, $"http://{service.Spec.ClusterIP}:8080", "diagnosis"),
            a => a.Answer is not null,
            TimeSpan.FromSeconds(60),
            "the model's Service to answer an inference request");
        Assert.Contains(answer.Label, new[] { "malignant", "benign" });

        // And by name from another pod, through the DNS stand-in.
        var byName = await cluster.KubectlAsync("-n", ns.Name, "exec", "diagnosis", "-c", "server", "--", "python3", "/opt/medops/predict.py",
            $"http://diagnosis.{ns.Name}.svc.cluster.local:8080", "diagnosis");
        Assert.True(byName.ExitCode == 0, byName.Output);
        Assert.Contains("benign", byName.StandardOutput + byName.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_that_really_exits_1_fails_with_its_exit_code_and_termination_message()
    {
        await using var ns = await cluster.CreateNamespaceAsync("real-fail");
        await ApplyAsync(ns.Name, RealNodePods.FailingWorker("worker"));

        var pod = await Eventually.WaitForAsync(
            () => cluster.Client.CoreV1.ReadNamespacedPodAsync("worker", ns.Name),
            p => p.Status?.Phase is "Failed" or "Succeeded",
            Timeout,
            "the failing worker to finish");

        Assert.Equal("Failed", pod.Status.Phase);
        var terminated = pod.Status.ContainerStatuses.Single().State.Terminated;
        Assert.Equal(1, terminated.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(terminated.Message), "the trainer writes its reason to /dev/termination-log");
    }

    [Fact]
    public async Task A_claim_is_a_real_folder_that_a_non_root_trainer_writes_its_model_to_and_that_goes_with_the_claim()
    {
        await using var ns = await cluster.CreateNamespaceAsync("real-claim");
        await ApplyAsync(ns.Name, RealNodePods.TrainerOnClaim("trainer", "output"));

        var pod = await Eventually.WaitForAsync(
            () => cluster.Client.CoreV1.ReadNamespacedPodAsync("trainer", ns.Name),
            p => p.Status?.Phase is "Failed" or "Succeeded",
            Timeout,
            "the trainer to finish");
        Assert.Equal("Succeeded", pod.Status.Phase);
        var claim = await cluster.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("output", ns.Name);
        // The simulator's volume is a folder of the cluster's own, which the real node mounted.
        var folder = Path.Combine(RepositoryLayout.ClusterDirectory, "volumes", claim.Metadata.Uid);
        Assert.True(File.Exists(Path.Combine(folder, "model.joblib")), $"no model.joblib in {folder}");
        Assert.Contains("\"accuracy\"", await File.ReadAllTextAsync(Path.Combine(folder, "model.json")), StringComparison.Ordinal);

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("trainer", ns.Name, gracePeriodSeconds: 0);
        await cluster.Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("output", ns.Name);
        await Eventually.WaitUntilAsync(() => Task.FromResult(!Directory.Exists(folder)), Timeout,
            "the claim's folder to go with its volume (reclaim policy Delete)");
    }

    private async Task ApplyAsync(string ns, string manifest)
    {
        var file = Path.Combine(Path.GetTempPath(), $"medops-real-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, manifest);
        try
        {
            var applied = await cluster.KubectlAsync("-n", ns, "apply", "-f", file);
            Assert.True(applied.ExitCode == 0, applied.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
