using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels;
using MedOps.Controllers.Shared;
using MedOps.Runtime.Status;

namespace MedOps.Controllers.Tests.MedicalModels;

public class ServingDiagnosisTests
{
    private static readonly ModelRuntime Runtime = new() { Image = "localhost/medops/sample-server:0.1.0", Port = 8080 };
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);
    private const string Digest = "sha256:dde6d43dc2cf99619ab77c008bafa7c090e70c0c03067f9e362159e6ab38a3b9";

    private static V1Pod Pod(string name = "chest-xray-abc", V1ContainerStatus? initializer = null, V1ContainerStatus? server = null, V1PodCondition? condition = null, DateTime? created = null, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, CreationTimestamp = created ?? Now, DeletionTimestamp = deleting ? Now : null },
        Spec = new V1PodSpec
        {
            InitContainers = [new V1Container { Name = "model-initializer", Image = "localhost/medops/model-initializer:0.1.0" }],
            Containers = [new V1Container { Name = "server", Image = "registry.example/no-such:1" }],
        },
        Status = new V1PodStatus
        {
            Phase = "Pending",
            Conditions = condition is null ? null : [condition],
            InitContainerStatuses = initializer is null ? null : [initializer],
            ContainerStatuses = server is null ? null : [server],
        },
    };

    private static V1ContainerStatus Initializer(int exitCode, string message, int restarts = 0, bool lastState = false)
    {
        var terminated = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Message = message } };
        return new V1ContainerStatus
        {
            Name = "model-initializer",
            RestartCount = restarts,
            State = lastState ? new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } } : terminated,
            LastState = lastState ? terminated : null,
        };
    }

    private static V1ContainerStatus Waiting(string reason, string? message = null) =>
        new() { Name = "server", State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } } };

    [Theory]
    [InlineData("DigestMismatch: expected sha256:aa actual sha256:bb", MedicalModelReasons.ModelDigestMismatch, true)]
    [InlineData("DownloadFailed: HTTP 503 Service Unavailable after 6 attempts", MedicalModelReasons.ModelDownloadFailed, false)]
    [InlineData("SourceNotFound: HTTP 404 Not Found", MedicalModelReasons.ModelSourceNotFound, true)]
    [InlineData("Unauthorized: HTTP 403 Forbidden", MedicalModelReasons.ModelUnauthorized, true)]
    [InlineData("UnsafeContent: link escapes the model folder", MedicalModelReasons.ModelRefused, true)]
    [InlineData("TooLarge: 60 GiB over 50Gi", MedicalModelReasons.ModelRefused, true)]
    [InlineData("", MedicalModelReasons.ModelInitializerFailed, false)]
    public void The_initializers_termination_reason_becomes_the_models(string message, string reason, bool stalled)
    {
        var problem = ServingDiagnosis.Diagnose([Pod(initializer: Initializer(1, message, restarts: 2, lastState: true))], Runtime);

        Assert.Equal((reason, stalled), (problem!.Reason, problem.Stalled));
        Assert.Contains("model-initializer of pod chest-xray-abc failed (restarted 2 times)", problem.Message, StringComparison.Ordinal);
        Assert.Contains(message.Length > 0 ? message : "exit code 1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schedulers_message_is_quoted()
    {
        var condition = new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/5 nodes are available: 3 Insufficient nvidia.com/gpu, 2 node(s) had taint {medops.io/real-node: true}." };

        var problem = ServingDiagnosis.Diagnose([Pod(condition: condition)], Runtime)!;

        Assert.Equal(MedicalModelReasons.Unschedulable, problem.Reason);
        Assert.Equal("pod chest-xray-abc cannot be scheduled: 0/5 nodes are available: 3 Insufficient nvidia.com/gpu, 2 node(s) had taint {medops.io/real-node: true}.", problem.Message);
        Assert.False(problem.Stalled);
    }

    [Theory]
    [InlineData("ImagePullBackOff", false)]
    [InlineData("ErrImagePull", false)]
    [InlineData("InvalidImageName", true)]
    public void An_image_that_cannot_be_pulled_is_named(string reason, bool stalled)
    {
        var problem = ServingDiagnosis.Diagnose([Pod(initializer: Initializer(0, $"Verified: {Digest}"), server: Waiting(reason, "pull access denied"))], Runtime)!;

        Assert.Equal((MedicalModelReasons.ImagePullFailed, stalled), (problem.Reason, problem.Stalled));
        Assert.Equal($"container server of pod chest-xray-abc cannot get its image registry.example/no-such:1 ({reason}): pull access denied", problem.Message);
    }

    [Fact]
    public void A_crash_loop_says_the_last_exit_code()
    {
        var server = new V1ContainerStatus
        {
            Name = "server",
            RestartCount = 4,
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } },
            LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 2, Reason = "Error", Message = "bad configuration" } },
        };

        var problem = ServingDiagnosis.Diagnose([Pod(server: server)], Runtime)!;

        Assert.Equal(MedicalModelReasons.ServerCrashLooping, problem.Reason);
        Assert.Equal("container server of pod chest-xray-abc keeps exiting (restarted 4 times; last exit code 2 (Error)): bad configuration", problem.Message);
    }

    [Fact]
    public void A_running_server_that_is_not_ready_names_its_probe()
    {
        var server = new V1ContainerStatus { Name = "server", Ready = false, State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Now } } };

        var problem = ServingDiagnosis.Diagnose([Pod(server: server)], Runtime)!;

        Assert.Equal(MedicalModelReasons.ServerNotReady, problem.Reason);
        Assert.Contains("runs since 2026-12-02T12:00:00Z but has not passed its readiness probe (GET /v2/health/ready on port 8080)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ready_pod_has_no_problem_and_the_newest_pod_speaks_first()
    {
        var ready = new V1ContainerStatus { Name = "server", Ready = true, State = new V1ContainerState { Running = new V1ContainerStateRunning() } };
        Assert.Null(ServingDiagnosis.Diagnose([Pod(server: ready)], Runtime));

        var old = Pod("old", server: Waiting("ImagePullBackOff"), created: Now.AddMinutes(-5));
        var young = Pod("young", initializer: Initializer(1, "DigestMismatch: expected a actual b"), created: Now);
        var gone = Pod("gone", server: Waiting("CrashLoopBackOff"), created: Now.AddMinutes(1), deleting: true);

        Assert.Equal(MedicalModelReasons.ModelDigestMismatch, ServingDiagnosis.Diagnose([old, young, gone], Runtime)!.Reason);
    }

    [Fact]
    public void The_digest_comes_from_an_initializer_that_succeeded()
    {
        Assert.Equal(Digest, ServingDiagnosis.VerifiedDigest([Pod(initializer: Initializer(0, $"Verified: {Digest}"))]));
        Assert.Equal(Digest, ServingDiagnosis.VerifiedDigest([Pod(initializer: Initializer(0, $"Computed: {Digest}"))]));
        Assert.Null(ServingDiagnosis.VerifiedDigest([Pod(initializer: Initializer(1, $"DigestMismatch: expected {Digest} actual {Digest}"))]));
        Assert.Null(ServingDiagnosis.VerifiedDigest([Pod(initializer: Initializer(0, "Verified: sha256:short"))]));
        Assert.Null(ServingDiagnosis.VerifiedDigest([Pod()]));
    }

    [Fact]
    public void A_stalling_cause_fails_the_model_and_a_retried_one_replaces_deployings_message()
    {
        var model = TestModels.ChestXray();
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = TestModels.Name, Generation = 1 },
            Spec = new V1DeploymentSpec { Replicas = 1 },
            Status = new V1DeploymentStatus { Replicas = 1, ReadyReplicas = 0, UpdatedReplicas = 1, ObservedGeneration = 1 },
        };
        V1Alpha1MedicalModelStatus Build(PodProblem problem, string? digest = null) => MedicalModelStatusBuilder.Build(new ModelObservation
        {
            Model = model,
            Deployment = deployment,
            Source = new SourceResolution.Resolved("pvc://models/chest-xray/1.4.0", null, null),
            Serving = problem,
            ModelDigest = digest,
            Now = Now,
        });

        var stalled = Build(new PodProblem(MedicalModelReasons.ModelDigestMismatch, "the model-initializer of pod p failed: DigestMismatch: …", true));
        Assert.Equal(MedicalModelPhase.Failed, stalled.Phase);
        Assert.True(Conditions.IsTrue(stalled.Conditions, ConditionTypes.Stalled));
        Assert.Equal(MedicalModelReasons.ModelDigestMismatch, Conditions.Find(stalled.Conditions, ConditionTypes.Ready)!.Reason);

        var retried = Build(new PodProblem(MedicalModelReasons.ImagePullFailed, "container server of pod p cannot get its image x", false), Digest);
        Assert.Equal(MedicalModelPhase.Deploying, retried.Phase);
        Assert.True(Conditions.IsTrue(retried.Conditions, ConditionTypes.Reconciling));
        Assert.Equal("container server of pod p cannot get its image x", Conditions.Find(retried.Conditions, ConditionTypes.Ready)!.Message);
        Assert.Equal(Digest, retried.ModelDigest);
    }

    [Fact]
    public void The_cache_trim_keeps_what_the_controllers_read()
    {
        var pod = Pod(initializer: Initializer(0, $"Verified: {Digest}"), server: Waiting("ImagePullBackOff", "x"));
        pod.Metadata.Labels = new Dictionary<string, string> { ["medops.io/medicalmodel"] = "chest-xray" };
        pod.Metadata.Annotations = new Dictionary<string, string> { ["big"] = new string('x', 1000) };
        pod.Spec.NodeName = "medops-worker";
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "MODEL_DIR", Value = "/mnt/models" }];
        pod.Status.PodIP = "10.0.0.1";

        PodCacheTrim.Trim(pod);

        Assert.Null(pod.Metadata.Annotations);
        Assert.Equal("chest-xray", pod.Metadata.Labels["medops.io/medicalmodel"]);
        Assert.Equal("medops-worker", pod.Spec.NodeName);
        Assert.Null(pod.Spec.Containers[0].Env);
        Assert.Equal("registry.example/no-such:1", pod.Spec.Containers[0].Image);
        Assert.Null(pod.Status.PodIP);
        Assert.Equal(Digest, ServingDiagnosis.VerifiedDigest([pod]));
        Assert.Equal(MedicalModelReasons.ImagePullFailed, ServingDiagnosis.Diagnose([pod], Runtime)!.Reason);
    }
}
