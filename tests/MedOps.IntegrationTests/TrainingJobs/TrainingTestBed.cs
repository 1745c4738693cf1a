using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.IntegrationTests.Beds;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.TrainingJobs;

/// <summary>
/// One test's world: a fresh namespace with the dataset and output claims, and the real
/// operator process watching only it, plus helpers to apply jobs and wait on their status.
/// </summary>
internal sealed class TrainingTestBed : KindTestBed<V1Alpha1TrainingJob>
{
    public const string DatasetClaim = "cxr-2024";
    public const string OutputClaim = "models";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private TrainingTestBed(LocalCluster cluster, TestNamespace ns)
        : base(cluster, ns, Timeout)
    {
    }

    /// <summary>A fresh namespace, with the claims unless told otherwise, and the operator unless told otherwise.</summary>
    public static Task<TrainingTestBed> StartAsync(LocalCluster cluster, string prefix, bool claims = true, bool startOperator = true) =>
        StartAsync(cluster, prefix, ns => new TrainingTestBed(cluster, ns), claims ? bed => bed.CreateClaimsAsync() : null, startOperator);

    public async Task CreateClaimsAsync()
    {
        foreach (var name in new[] { DatasetClaim, OutputClaim })
        {
            await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteMany"],
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } },
                },
            }, Ns);
        }
    }

    /// <summary>
    /// A CPU job whose workers the node simulator finishes: exit 0 after
    /// <paramref name="runSeconds"/>, except the ranks in <paramref name="failRanks"/> on the
    /// attempts in <paramref name="failAttempts"/> (every attempt when null), which exit 1.
    /// </summary>
    public JsonObject Job(string name, int workers = 2, double runSeconds = 1, string? failRanks = null, string? failAttempts = null)
    {
        var env = new JsonArray
        {
            Env("MEDOPS_SIM_EXIT_CODE", "0"),
            Env("MEDOPS_SIM_RUN_SECONDS", runSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (failRanks is not null)
        {
            env.Add(Env("MEDOPS_SIM_FAIL_RANKS", failRanks));
        }
        if (failAttempts is not null)
        {
            env.Add(Env("MEDOPS_SIM_FAIL_ATTEMPTS", failAttempts));
        }
        return Manifests.MinimalTrainingJob(name, Ns)
            .With("spec.workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("spec.resources", """{"cpu": "1", "memory": "1Gi"}""")
            .With("spec.dataset", $$"""{"claimName": "{{DatasetClaim}}"}""")
            .With("spec.output", $$"""{"claimName": "{{OutputClaim}}", "path": "chest-xray/1.5.0"}""")
            .With("spec.env", env.ToJsonString());
    }

    /// <summary>A registration of a CPU model served from the job's output.</summary>
    public static string Registration(string model) => $$"""
        {
          "name": "{{model}}",
          "template": {
            "modality": "Imaging",
            "version": "1.5.0",
            "dataClassification": "DeIdentified",
            "runtime": {"image": "pytorch/torchserve:0.11.0-cpu", "readinessPath": "/ping"},
            "resources": {"cpu": "1", "memory": "1Gi"}
          }
        }
        """;

    public async Task<bool> JobExistsAsync(string name) =>
        (await KubectlAsync("get", "trainingjobs", "-o", "name")).Output.Contains($"/{name}", StringComparison.Ordinal);

    public Task<V1Alpha1MedicalModel> GetModelAsync(string name) => GetObjectAsync<V1Alpha1MedicalModel>(name);

    public Task<V1Alpha1TrainingJob> WaitPhaseAsync(string name, TrainingJobPhase phase, TimeSpan? timeout = null) =>
        WaitAsync(name, j => j.Status?.Phase == phase && j.Status.ObservedGeneration == j.Metadata.Generation, $"job {name} to be {phase}", timeout);

    public Task<V1Alpha1TrainingJob> WaitSucceededAsync(string name) =>
        WaitAsync(name, j => j.Status?.Phase == TrainingJobPhase.Succeeded && Conditions.IsTrue(j.Status.Conditions, ConditionTypes.Ready)
            && j.Status.ObservedGeneration == j.Metadata.Generation, $"job {name} to succeed");

    public Task<V1Alpha1TrainingJob> WaitFailedAsync(string name, string reason) =>
        WaitAsync(name, j => j.Status?.Phase == TrainingJobPhase.Failed
            && TrueAndNotReady(j.Status.Conditions, ConditionTypes.Failed, reason),
            $"job {name} to fail with {reason}");

    /// <summary>The job's worker pods (not its output-digest pod).</summary>
    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string job) =>
        (await Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: $"medops.io/trainingjob={job},app.kubernetes.io/component=training")).Items.ToList();

    /// <summary>The job's output-digest pod, or null.</summary>
    public async Task<V1Pod?> DigestPodAsync(string job) =>
        (await Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: $"medops.io/trainingjob={job},app.kubernetes.io/component=output-digest")).Items.SingleOrDefault();

    /// <summary>Every pod of the job, workers and output-digest pod.</summary>
    public async Task<IReadOnlyList<V1Pod>> AllPodsAsync(string job) =>
        (await Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: $"medops.io/trainingjob={job}")).Items.ToList();

    public Task WaitNoPodsAsync(string job) =>
        Eventually.WaitUntilAsync(async () => (await AllPodsAsync(job)).Count == 0, Timeout, $"the pods of {job} to be gone");

    public Task<IReadOnlyList<Corev1Event>> ModelEventsAsync(string model, string reason) => EventsAsync(V1Alpha1MedicalModel.KubeKind, model, reason);

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };
}
