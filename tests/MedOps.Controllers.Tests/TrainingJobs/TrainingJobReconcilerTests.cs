using System.Text.Json.Nodes;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Tests.Fakes;
using MedOps.Controllers.TrainingJobs;
using MedOps.Controllers.TrainingJobs.Builders;
using MedOps.Runtime.Controllers;

namespace MedOps.Controllers.Tests.TrainingJobs;

/// <summary>
/// The TrainingJob reconciler's decisions, against an in-memory API server and seeded caches:
/// every change of course is written to the status (guarded by the resourceVersion) before pods
/// are created or deleted. The integration tests prove the same against the real control plane.
/// </summary>
public sealed class TrainingJobReconcilerTests : IDisposable
{
    private const string Ns = TestJobs.Namespace;
    private const string JobPath = "/apis/medops.io/v1alpha1/namespaces/radiology/trainingjobs/cxr-train";
    private const string PodsPath = "/api/v1/namespaces/radiology/pods";

    private readonly FakeCluster cluster = new();
    private readonly TrainingJobInformers informers;
    private readonly TrainingJobReconciler reconciler;

    public TrainingJobReconcilerTests()
    {
        informers = new TrainingJobInformers(cluster.Manager);
        reconciler = new TrainingJobReconciler(cluster.Manager, informers, new ControllerSettings(), cluster.Time);
        FakeCluster.Seed(informers.Claims, Claim("cxr-2024"), Claim("models"));
    }

    private DateTime Now => cluster.Time.GetUtcNow().UtcDateTime;

    private static V1PersistentVolumeClaim Claim(string name) => FakeCluster.Claim(Ns, name);

    private static V1Alpha1TrainingJob Job(V1Alpha1TrainingJobStatus? status = null, Action<V1Alpha1TrainingJobSpec>? change = null)
    {
        var job = TestJobs.ChestXray(change);
        job.Status = status;
        return job;
    }

    private async Task<ReconcileResult> ReconcileAsync(V1Alpha1TrainingJob job, params V1Pod[] pods)
    {
        FakeCluster.Seed(informers.Jobs, job);
        FakeCluster.Seed(informers.Pods, pods);
        return await reconciler.ReconcileAsync(job, CancellationToken.None);
    }

    private JsonObject StatusPatch() => Assert.Single(cluster.Server.Writes, w => w.Path == JobPath + "/status").Body!;

    private List<string> Lines() => [.. cluster.Server.Writes.Select(w => w.Line)];

    private static V1Pod WorkerOf(V1Alpha1TrainingJob job, int rank, int attempt, string phase)
    {
        var pod = TestJobs.Worker(rank, attempt, phase, job);
        pod.Metadata.OwnerReferences![0].Uid = job.Metadata.Uid;
        return pod;
    }

    [Fact]
    public async Task A_new_job_records_attempt_1_guarded_by_its_resource_version_before_any_pod_exists()
    {
        var result = await ReconcileAsync(Job());

        Assert.Equal(ReconcileResult.Done, result);
        Assert.DoesNotContain(Lines(), l => l.StartsWith("POST", StringComparison.Ordinal));
        var patch = StatusPatch();
        Assert.Equal("1234", patch["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(1, patch["status"]!["attempt"]!.GetValue<int>());
        Assert.Equal("Pending", patch["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_recorded_attempt_without_pods_creates_one_pod_per_worker_after_its_service_and_policy()
    {
        var result = await ReconcileAsync(Job(new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Pending, Attempt = 1, StartTime = Now }));

        Assert.Equal(ReconcileResult.Done, result);
        var lines = Lines();
        Assert.Equal($"PATCH /api/v1/namespaces/radiology/services/cxr-train", lines[0]);
        Assert.Equal($"PATCH /apis/networking.k8s.io/v1/namespaces/radiology/networkpolicies/cxr-train", lines[1]);
        Assert.Equal(4, lines.Count(l => l == $"POST {PodsPath}"));
        var ranks = cluster.Server.Writes.Where(w => w.Method == HttpMethod.Post).Select(w => w.Body!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(["cxr-train-worker-0", "cxr-train-worker-1", "cxr-train-worker-2", "cxr-train-worker-3"], ranks);
    }

    [Fact]
    public async Task A_failed_worker_records_the_restart_before_deleting_the_attempts_pods()
    {
        var job = Job(new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Running, Attempt = 1, StartTime = Now });
        var pods = Enumerable.Range(0, 4).Select(r => WorkerOf(job, r, 1, r == 2 ? "Failed" : "Running")).ToArray();

        await ReconcileAsync(job, pods);

        var lines = Lines();
        var statusAt = lines.IndexOf($"PATCH {JobPath}/status");
        var firstDelete = lines.FindIndex(l => l.StartsWith("DELETE", StringComparison.Ordinal));
        Assert.True(statusAt >= 0 && firstDelete > statusAt, string.Join("\n", lines));
        Assert.Equal(4, lines.Count(l => l.StartsWith($"DELETE {PodsPath}/", StringComparison.Ordinal)));
        var status = StatusPatch()["status"]!;
        Assert.Equal(("Restarting", 2, 1), (status["phase"]!.GetValue<string>(), status["attempt"]!.GetValue<int>(), status["restarts"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_failure_beyond_the_backoff_limit_fails_the_job_and_deletes_its_pods()
    {
        var job = Job(new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Running, Attempt = 2, Restarts = 1, StartTime = Now }, s => s.BackoffLimit = 1);
        var pods = Enumerable.Range(0, 4).Select(r => WorkerOf(job, r, 2, r == 0 ? "Failed" : "Running")).ToArray();

        await ReconcileAsync(job, pods);

        var status = StatusPatch()["status"]!;
        Assert.Equal("Failed", status["phase"]!.GetValue<string>());
        Assert.Contains(status["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == ConditionTypes.Failed && c["reason"]!.GetValue<string>() == TrainingJobReasons.BackoffLimitExceeded);
        Assert.Equal(4, Lines().Count(l => l.StartsWith("DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_passed_deadline_fails_the_job()
    {
        var job = Job(new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Running, Attempt = 1, StartTime = Now.AddSeconds(-61) }, s => s.ActiveDeadlineSeconds = 60);

        await ReconcileAsync(job, WorkerOf(job, 0, 1, "Running"));

        var status = StatusPatch()["status"]!;
        Assert.Equal("Failed", status["phase"]!.GetValue<string>());
        Assert.Contains(status["conditions"]!.AsArray(), c => c!["reason"]!.GetValue<string>() == TrainingJobReasons.DeadlineExceeded);
        Assert.Contains(Lines(), l => l == $"DELETE {PodsPath}/cxr-train-worker-0");
    }

    [Fact]
    public async Task A_resume_starts_a_fresh_attempt_and_restarts_the_deadline_clock()
    {
        // Suspended long enough that the deadline, counted from the first start, has passed.
        var job = Job(new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Suspended, Attempt = 1, StartTime = Now.AddHours(-2) }, s => s.ActiveDeadlineSeconds = 60);

        var result = await ReconcileAsync(job);

        var status = StatusPatch()["status"]!;
        Assert.Equal(2, status["attempt"]!.GetValue<int>());
        Assert.Equal("Pending", status["phase"]!.GetValue<string>());
        Assert.Equal(Now, status["startTime"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(60.1)), result);
    }

    [Fact]
    public async Task A_missing_dataset_claim_stalls_the_job_without_pods()
    {
        informers.Claims.Cache.Remove(new Runtime.Informers.ObjectKey(Ns, "cxr-2024"));

        var result = await ReconcileAsync(Job(new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Pending, Attempt = 1, StartTime = Now }));

        Assert.Equal(ReconcileResult.Terminal(TrainingJobReasons.DatasetClaimNotFound), result);
        Assert.DoesNotContain(Lines(), l => l.StartsWith("POST", StringComparison.Ordinal));
        Assert.Contains(StatusPatch()["status"]!["conditions"]!.AsArray(),
            c => c!["type"]!.GetValue<string>() == ConditionTypes.Stalled && c["reason"]!.GetValue<string>() == TrainingJobReasons.DatasetClaimNotFound);
    }

    [Fact]
    public async Task A_suspended_job_deletes_its_workers_after_recording_the_suspension()
    {
        var job = Job(new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Running, Attempt = 1, StartTime = Now }, s => s.Suspend = true);

        await ReconcileAsync(job, WorkerOf(job, 0, 1, "Running"), WorkerOf(job, 1, 1, "Running"));

        var lines = Lines();
        Assert.Equal($"PATCH {JobPath}/status", lines[0]);
        Assert.Equal(["DELETE " + PodsPath + "/cxr-train-worker-0", "DELETE " + PodsPath + "/cxr-train-worker-1"], lines.Skip(1));
        Assert.Equal("Suspended", StatusPatch()["status"]!["phase"]!.GetValue<string>());
    }

    private static readonly string OutputDigest = "sha256:" + new string('d', 64);

    private static V1Alpha1TrainingJob RunningAttempt(int attempt) =>
        Job(new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Running, Attempt = attempt, StartTime = Now0 });

    private static readonly DateTime Now0 = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private static V1Pod DigestPodOf(V1Alpha1TrainingJob job, int attempt, string phase, string? message = null, int exitCode = 0)
    {
        var pod = OutputDigestPodBuilder.Build(job, attempt, ControllerSettings.DefaultModelInitializerImage);
        pod.Metadata.Uid = $"digest-{attempt}";
        pod.Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses = phase is "Succeeded" or "Failed"
                ? [new V1ContainerStatus { Name = "model-initializer", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Message = message } } }]
                : null,
        };
        return pod;
    }

    [Fact]
    public async Task When_every_worker_succeeded_the_digest_pod_is_created_and_the_job_is_not_yet_succeeded()
    {
        var job = RunningAttempt(1);
        var pods = Enumerable.Range(0, 4).Select(r => WorkerOf(job, r, 1, "Succeeded")).ToArray();

        await ReconcileAsync(job, pods);

        var created = Assert.Single(cluster.Server.Writes, w => w.Method == HttpMethod.Post).Body!;
        Assert.Equal("cxr-train-output-digest", created["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(ControllerSettings.DefaultModelInitializerImage, created["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        var status = StatusPatch()["status"]!.AsObject();
        Assert.Equal("Running", status["phase"]!.GetValue<string>());
        Assert.Null(status["outputDigest"]);
        Assert.Equal(4, status["workers"]!["succeeded"]!.GetValue<int>());
        var ready = FakeCluster.Condition(status, ConditionTypes.Ready);
        Assert.Equal(TrainingJobReasons.DigestingOutput, ready["reason"]!.GetValue<string>());
        Assert.Contains("computing the digest of pvc://models/chest-xray/1.5.0", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(Lines(), l => l.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_computed_digest_finishes_the_job_with_status_output_digest()
    {
        var job = RunningAttempt(1);
        var pods = Enumerable.Range(0, 4).Select(r => WorkerOf(job, r, 1, "Succeeded")).Append(DigestPodOf(job, 1, "Succeeded", "Computed: " + OutputDigest)).ToArray();

        await ReconcileAsync(job, pods);

        var status = StatusPatch()["status"]!.AsObject();
        Assert.Equal("Succeeded", status["phase"]!.GetValue<string>());
        Assert.Equal(OutputDigest, status["outputDigest"]!.GetValue<string>());
        Assert.NotNull(status["completionTime"]);
        Assert.Contains(OutputDigest, FakeCluster.Condition(status, ConditionTypes.Ready)["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(Lines(), l => l.StartsWith("POST", StringComparison.Ordinal) || l.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_digest_pod_without_a_digest_finishes_the_job_with_the_digest_unknown()
    {
        var job = RunningAttempt(1);
        var pods = Enumerable.Range(0, 4).Select(r => WorkerOf(job, r, 1, "Succeeded")).Append(DigestPodOf(job, 1, "Succeeded")).ToArray();

        await ReconcileAsync(job, pods);

        var status = StatusPatch()["status"]!.AsObject();
        Assert.Equal("Succeeded", status["phase"]!.GetValue<string>());
        Assert.Null(status["outputDigest"]);
        Assert.Contains("its digest is unknown", FakeCluster.Condition(status, ConditionTypes.Ready)["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_the_initializer_refuses_fails_the_job_with_its_reason()
    {
        var job = RunningAttempt(1);
        var pods = Enumerable.Range(0, 4).Select(r => WorkerOf(job, r, 1, "Succeeded"))
            .Append(DigestPodOf(job, 1, "Failed", "UnsafeContent: weights.bin is a symlink that points out of the model folder", exitCode: 1)).ToArray();

        await ReconcileAsync(job, pods);

        var status = StatusPatch()["status"]!.AsObject();
        Assert.Equal("Failed", status["phase"]!.GetValue<string>());
        var failed = FakeCluster.Condition(status, ConditionTypes.Failed);
        Assert.Equal(TrainingJobReasons.OutputDigestFailed, failed["reason"]!.GetValue<string>());
        Assert.Contains("(UnsafeContent)", failed["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("symlink that points out", failed["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_digest_pod_of_an_earlier_attempt_is_deleted_and_never_read()
    {
        var job = RunningAttempt(2);
        var pods = Enumerable.Range(0, 4).Select(r => WorkerOf(job, r, 2, "Succeeded")).Append(DigestPodOf(job, 1, "Succeeded", "Computed: " + OutputDigest)).ToArray();

        await ReconcileAsync(job, pods);

        Assert.Contains($"DELETE {PodsPath}/cxr-train-output-digest", Lines());
        var status = StatusPatch()["status"]!.AsObject();
        Assert.Equal("Running", status["phase"]!.GetValue<string>());
        Assert.Null(status["outputDigest"]);
    }

    [Fact]
    public async Task A_digest_pod_is_not_a_stale_worker_while_it_runs()
    {
        var job = RunningAttempt(1);
        var pods = Enumerable.Range(0, 4).Select(r => WorkerOf(job, r, 1, "Succeeded")).Append(DigestPodOf(job, 1, "Running")).ToArray();

        await ReconcileAsync(job, pods);

        Assert.DoesNotContain(Lines(), l => l.StartsWith("DELETE", StringComparison.Ordinal) || l.StartsWith("POST", StringComparison.Ordinal));
        Assert.Equal(TrainingJobReasons.DigestingOutput, FakeCluster.Condition(StatusPatch()["status"]!.AsObject(), ConditionTypes.Ready)["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_registration_keeps_the_success_and_says_why_instead_of_retrying()
    {
        const string refusal = """admission webhook "validate.medops.io" denied the request: MedicalModel.medops.io "chest-xray" is forbidden: spec.dataClassification: lowering PHI to Public needs the "declassify" permission""";
        cluster.Server.Intercept = request => request.Method == HttpMethod.Patch && request.RequestUri!.AbsolutePath.EndsWith("/medicalmodels/chest-xray", StringComparison.Ordinal)
            ? new HttpResponseMessage(System.Net.HttpStatusCode.Forbidden)
            {
                Content = new StringContent($$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,"message":{{System.Text.Json.JsonSerializer.Serialize(refusal)}}}""",
                    System.Text.Encoding.UTF8, "application/json"),
            }
            : null;
        var job = Job(
            new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Succeeded, Attempt = 1, StartTime = Now, CompletionTime = Now },
            s => s.Model = new ModelRegistration
            {
                Name = "chest-xray",
                Template = new MedicalModelTemplateSpec
                {
                    Modality = Modality.Imaging,
                    Version = "1.5.0",
                    DataClassification = DataClassification.PHI,
                    Format = ModelFormat.TorchScript,
                    Runtime = new ModelRuntime { Image = "pytorch/torchserve:0.11.0-gpu", Port = 8080 },
                    Resources = new ComputeResources { Cpu = "2", Memory = "8Gi" },
                },
            });

        await ReconcileAsync(job);

        var status = StatusPatch()["status"]!.AsObject();
        Assert.Equal("Succeeded", status["phase"]!.GetValue<string>());
        Assert.Null(status["model"]);
        var ready = FakeCluster.Condition(status, ConditionTypes.Ready);
        Assert.Equal(TrainingJobReasons.RegistrationRefused, ready["reason"]!.GetValue<string>());
        Assert.Contains("registering MedicalModel chest-xray was refused", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("declassify", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public void Dispose() => cluster.Dispose();
}
