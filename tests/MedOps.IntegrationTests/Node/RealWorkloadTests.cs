using k8s;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.IntegrationTests.TrainingJobs;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Node;

/// <summary>
/// What the operator creates, run for real on the real node (the resources tolerate its taint and
/// select it, through spec.nodeSelector and spec.tolerations): a TrainingJob whose workers run the
/// sample trainer, whose exit codes decide success and restarts, writing the model to the output
/// claim; the registered MedicalModel, served by the sample server, passing its real readiness
/// probe and answering through its Service; and a model whose server never gets ready.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RealWorkloadTests(LocalCluster cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_job_trained_on_the_real_node_pins_its_output_digest_the_registered_model_answers_and_an_output_altered_later_is_refused()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "real-train");
        await bed.ApplyOkAsync(Job(bed.Ns, "diagnosis-train").With("spec.model", Registration("diagnosis")));

        var job = await bed.WaitAsync("diagnosis-train", j => (j.Status?.Phase == TrainingJobPhase.Succeeded && j.Status.Model is not null) || j.Status?.Phase == TrainingJobPhase.Failed,
            "the job to train on the real node and register its model", Timeout);
        Assert.Equal(TrainingJobPhase.Succeeded, job.Status!.Phase);
        Assert.Equal(1, job.Status.Attempt);
        Assert.Equal("pvc://models/diagnosis/1.0.0", job.Status.OutputUri);
        var pods = await bed.PodsAsync("diagnosis-train");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Equal(RealNodePods.NodeName, p.Spec.NodeName);
            Assert.Equal(0, p.Status.ContainerStatuses.Single().State.Terminated.ExitCode);
        });
        var log = await bed.KubectlAsync("logs", "diagnosis-train-worker-0");
        Assert.True(log.ExitCode == 0, log.Output);
        Assert.Contains("accuracy", log.StandardOutput, StringComparison.OrdinalIgnoreCase);

        // The output claim is a real folder: rank 0 wrote the model there.
        var claim = await bed.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(TrainingTestBed.OutputClaim, bed.Ns);
        var output = Path.Combine(RepositoryLayout.ClusterDirectory, "volumes", claim.Metadata.Uid, "diagnosis", "1.0.0");
        Assert.True(File.Exists(Path.Combine(output, "model.joblib")), $"no model.joblib in {output}");

        // The last step computed the output's digest in the cluster, on the node that holds the
        // claim: the same digest users compute on the files.
        var digest = await HostDigest.OfAsync(output);
        Assert.Equal(digest, job.Status.OutputDigest);
        var digestPod = (await bed.DigestPodAsync("diagnosis-train"))!;
        Assert.Equal(RealNodePods.NodeName, digestPod.Spec.NodeName);
        Assert.Equal($"Computed: {digest}", digestPod.Status.ContainerStatuses.Single().State.Terminated.Message);

        // The registered model's server loads it and passes its real readiness probe.
        var model = await Eventually.WaitForAsync(
            () => bed.GetModelAsync("diagnosis"),
            m => m.Status?.Phase == MedicalModelPhase.Ready && Conditions.IsTrue(m.Status.Conditions, ConditionTypes.Ready),
            Timeout, "the registered model to be served on the real node");
        Assert.Equal("pvc://models/diagnosis/1.0.0", model.Status!.ModelUri);
        // Registered pinned to it, verified in the serving pod, and carried in the lineage.
        Assert.Equal(digest, model.Spec.Source.Digest);
        Assert.Equal(digest, model.Status.ModelDigest);
        Assert.Equal(("diagnosis-train", TrainingTestBed.DatasetClaim, digest), (model.Status.Lineage!.TrainingJob, model.Status.Lineage.DatasetClaim, model.Status.Lineage.Digest));
        var server = Assert.Single((await bed.Client.CoreV1.ListNamespacedPodAsync(bed.Ns, labelSelector: "medops.io/medicalmodel=diagnosis")).Items);
        Assert.Equal(RealNodePods.NodeName, server.Spec.NodeName);

        // And answers through the model's Service.
        var service = await bed.Client.CoreV1.ReadNamespacedServiceAsync("diagnosis", bed.Ns);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var answer = await Eventually.WaitForAsync(
            () => OpenInference.InferAsync(http, $"http://{service.Spec.ClusterIP}:{service.Spec.Ports.Single().Port}", "diagnosis"),
            a => a.Answer is not null, TimeSpan.FromSeconds(60), "the registered model's Service to answer an inference request");
        Assert.Equal("benign", answer.Label);

        // A file changed on the output volume after training: the next pod refuses it before its server starts.
        await File.AppendAllTextAsync(Path.Combine(output, "model.json"), " ");
        await bed.Client.CoreV1.DeleteNamespacedPodAsync(server.Metadata.Name, bed.Ns);
        var refused = await Eventually.WaitForAsync(() => bed.GetModelAsync("diagnosis"),
            m => Conditions.Find(m.Status?.Conditions, ConditionTypes.Ready)?.Reason == "ModelDigestMismatch", Timeout, "the altered output to be refused");
        Assert.True(Conditions.IsTrue(refused.Status!.Conditions, ConditionTypes.Stalled));
        Assert.Contains($"DigestMismatch: expected {digest} actual sha256:", Conditions.Find(refused.Status.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_that_really_exits_1_restarts_the_attempt_and_fails_the_job_at_its_backoff_limit()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "real-backoff");
        await bed.ApplyOkAsync(Job(bed.Ns, "failing", workers: 1)
            .With("spec.env", """[{"name": "MEDOPS_SAMPLE_FAIL", "value": "1"}]""")
            .With("spec.backoffLimit", "1"));

        var job = await bed.WaitAsync("failing", j => j.Status?.Phase == TrainingJobPhase.Failed, "the job to fail at its backoff limit", Timeout);

        var failed = Conditions.Find(job.Status!.Conditions, ConditionTypes.Failed)!;
        Assert.Equal(ConditionReasons.BackoffLimitExceeded, failed.Reason);
        Assert.Equal(2, job.Status.Attempt);
        Assert.Equal(1, job.Status.Restarts);
        // The real exit code and the trainer's own termination message are in the status and events.
        Assert.Contains("worker 0 exited with code 1", failed.Message, StringComparison.Ordinal);
        var failures = await Eventually.WaitForAsync(() => bed.EventsAsync("failing", "WorkerFailed"), events => events.Count >= 2, TimeSpan.FromSeconds(30),
            "a WorkerFailed event for each attempt");
        Assert.Contains(failures, e => e.Message.Contains("of attempt 1 exited with code 1", StringComparison.Ordinal));
        Assert.Contains(failures, e => e.Message.Contains("of attempt 2 exited with code 1", StringComparison.Ordinal));
        await bed.WaitNoPodsAsync("failing");
    }

    [Fact]
    public async Task A_model_whose_server_never_passes_its_readiness_probe_is_not_ready_and_says_so()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "real-unready");
        // An empty folder of the claim: the sample server starts, finds no model and answers 503.
        var model = Manifests.MinimalMedicalModel("no-weights", bed.Ns)
            .With("spec.dataClassification", "\"DeIdentified\"")
            .With("spec.source", """{"uri": "pvc://models/no-weights/1.0.0"}""")
            .With("spec.runtime", $$"""{"image": "{{RealNodePods.ServerImage}}", "port": 8080}""")
            .With("spec.resources", """{"cpu": "250m", "memory": "256Mi"}""")
            .With("spec.nodeSelector", NodeSelector)
            .With("spec.tolerations", Tolerations);
        await bed.ApplyOkAsync(model);

        var pod = await Eventually.WaitForAsync(
            async () => (await bed.Client.CoreV1.ListNamespacedPodAsync(bed.Ns, labelSelector: "medops.io/medicalmodel=no-weights")).Items.SingleOrDefault(),
            p => p?.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Running is not null,
            Timeout, "the model server to run on the real node");
        Assert.Equal(RealNodePods.NodeName, pod!.Spec.NodeName);
        // Running for several probe periods, never ready: the status says so.
        await Task.Delay(TimeSpan.FromSeconds(15));
        var status = (await bed.GetModelAsync("no-weights")).Status!;
        Assert.Equal(MedicalModelPhase.Deploying, status.Phase);
        var ready = Conditions.Find(status.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(("False", "ServerNotReady"), (ready.Status, ready.Reason));
        Assert.Contains("has not passed its readiness probe (GET /v2/health/ready on port 8080)", ready.Message, StringComparison.Ordinal);
        var available = status.Conditions!.Single(c => c.Type == ConditionTypes.Available);
        Assert.Equal(("False", "NoReplicasAvailable"), (available.Status, available.Reason));
        var current = await bed.Client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, bed.Ns);
        Assert.False(current.Status.ContainerStatuses.Single().Ready);
        var log = await bed.KubectlAsync("logs", pod.Metadata.Name);
        Assert.Contains("model.json", log.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workers_whose_image_does_not_exist_or_that_no_node_can_take_are_named_in_the_jobs_status()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "real-causes");
        const string missing = "localhost/medops/no-such-trainer:0.1.0";
        await bed.ApplyOkAsync(Job(bed.Ns, "no-image", workers: 1).With("spec.image", $"\"{missing}\""));
        await bed.ApplyOkAsync(Job(bed.Ns, "too-many-gpus", workers: 1).With("spec.resources", """{"cpu": "1", "memory": "1Gi", "gpu": {"count": 64}}"""));

        var noImage = await bed.WaitAsync("no-image", j => Conditions.Find(j.Status?.Conditions, ConditionTypes.Ready)?.Reason == "ImagePullFailed",
            "the job to say its workers' image cannot be pulled", Timeout);
        Assert.Equal(TrainingJobPhase.Pending, noImage.Status!.Phase);
        Assert.Contains(missing, Conditions.Find(noImage.Status.Conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
        Assert.NotEmpty(await bed.WaitForEventsAsync("no-image", "ImagePullFailed"));

        var unplaced = await bed.WaitAsync("too-many-gpus", j => Conditions.Find(j.Status?.Conditions, ConditionTypes.Ready)?.Reason == "Unschedulable",
            "the job to quote the scheduler", Timeout);
        Assert.Matches(@"pod too-many-gpus-worker-0 cannot be scheduled: 0/\d+ nodes are available: .*Insufficient nvidia\.com/gpu",
            Conditions.Find(unplaced.Status!.Conditions, ConditionTypes.Ready)!.Message);
    }

    private const string NodeSelector = RealNodePods.NodeSelectorJson;

    private const string Tolerations = RealNodePods.TolerationsJson;

    // A CPU job small enough for the real node (2 cores): the sample trainer, placed there.
    private static System.Text.Json.Nodes.JsonObject Job(string ns, string name, int workers = 2) =>
        Manifests.MinimalTrainingJob(name, ns)
            .With("spec.image", $"\"{RealNodePods.TrainerImage}\"")
            .With("spec.workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("spec.resources", """{"cpu": "250m", "memory": "512Mi"}""")
            .With("spec.dataClassification", "\"DeIdentified\"")
            .With("spec.output", """{"claimName": "models", "path": "diagnosis/1.0.0"}""")
            .With("spec.nodeSelector", NodeSelector)
            .With("spec.tolerations", Tolerations);

    private static string Registration(string model) => $$"""
        {
          "name": "{{model}}",
          "template": {
            "modality": "Tabular",
            "version": "1.0.0",
            "dataClassification": "DeIdentified",
            "runtime": {"image": "{{RealNodePods.ServerImage}}", "port": 8080},
            "resources": {"cpu": "250m", "memory": "256Mi"},
            "nodeSelector": {{NodeSelector}},
            "tolerations": {{Tolerations}}
          }
        }
        """;
}
