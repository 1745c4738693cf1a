using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.IntegrationTests.Operator;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.TrainingJobs;

/// <summary>
/// One test's world: a fresh namespace with the dataset and output claims, and the real
/// operator process watching only it, plus helpers to apply jobs and wait on their status.
/// </summary>
internal sealed class TrainingTestBed : IAsyncDisposable
{
    public const string DatasetClaim = "cxr-2024";
    public const string OutputClaim = "models";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly LocalCluster cluster;

    private TrainingTestBed(LocalCluster cluster, TestNamespace ns)
    {
        this.cluster = cluster;
        Namespace = ns;
    }

    public TestNamespace Namespace { get; }

    public OperatorProcess? Operator { get; private set; }

    public string Ns => Namespace.Name;

    public IKubernetes Client => cluster.Client;

    /// <summary>A fresh namespace, with the claims unless told otherwise, and the operator unless told otherwise.</summary>
    public static async Task<TrainingTestBed> StartAsync(LocalCluster cluster, string prefix, bool claims = true, bool startOperator = true)
    {
        var bed = new TrainingTestBed(cluster, await cluster.CreateNamespaceAsync(prefix));
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        if (claims)
        {
            await bed.CreateClaimsAsync();
        }
        if (startOperator)
        {
            await bed.StartOperatorAsync();
        }
        return bed;
    }

    public async Task StartOperatorAsync() => Operator = await OperatorProcess.StartAsync(cluster, "--namespace", Ns);

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

    public async Task ApplyOkAsync(JsonObject manifest)
    {
        var result = await MedOpsCrds.KubectlOnManifestAsync(cluster, manifest.ToJsonString(), "apply", "--server-side", "--field-manager", "platform-engineer");
        Assert.True(result.ExitCode == 0, result.Output);
    }

    public async Task<V1Alpha1TrainingJob> GetAsync(string name) =>
        KubernetesJson.Deserialize<V1Alpha1TrainingJob>(KubernetesJson.Serialize(
            await Client.CustomObjects.GetNamespacedCustomObjectAsync(GroupVersion.Group, GroupVersion.Version, Ns, V1Alpha1TrainingJob.KubePluralName, name)));

    public async Task<bool> JobExistsAsync(string name) =>
        (await cluster.KubectlAsync("-n", Ns, "get", "trainingjobs", "-o", "name")).Output.Contains($"/{name}", StringComparison.Ordinal);

    public async Task<V1Alpha1MedicalModel> GetModelAsync(string name) =>
        KubernetesJson.Deserialize<V1Alpha1MedicalModel>(KubernetesJson.Serialize(
            await Client.CustomObjects.GetNamespacedCustomObjectAsync(GroupVersion.Group, GroupVersion.Version, Ns, V1Alpha1MedicalModel.KubePluralName, name)));

    public Task<V1Alpha1TrainingJob> WaitAsync(string name, Func<V1Alpha1TrainingJob, bool> condition, string because, TimeSpan? timeout = null) =>
        Eventually.WaitForAsync(() => GetAsync(name), condition, timeout ?? Timeout, because + "\noperator log:\n" + Tail(Operator?.Output ?? ""));

    public Task<V1Alpha1TrainingJob> WaitPhaseAsync(string name, TrainingJobPhase phase, TimeSpan? timeout = null) =>
        WaitAsync(name, j => j.Status?.Phase == phase && j.Status.ObservedGeneration == j.Metadata.Generation, $"job {name} to be {phase}", timeout);

    public Task<V1Alpha1TrainingJob> WaitSucceededAsync(string name) =>
        WaitAsync(name, j => j.Status?.Phase == TrainingJobPhase.Succeeded && Conditions.IsTrue(j.Status.Conditions, ConditionTypes.Ready)
            && j.Status.ObservedGeneration == j.Metadata.Generation, $"job {name} to succeed");

    public Task<V1Alpha1TrainingJob> WaitFailedAsync(string name, string reason) =>
        WaitAsync(name, j => j.Status?.Phase == TrainingJobPhase.Failed
            && Conditions.Find(j.Status.Conditions, ConditionTypes.Failed) is { Status: "True" } failed && failed.Reason == reason
            && Conditions.Find(j.Status.Conditions, ConditionTypes.Ready) is { Status: "False" } ready && ready.Reason == reason,
            $"job {name} to fail with {reason}");

    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string job) =>
        (await Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: $"medops.io/trainingjob={job}")).Items.ToList();

    public Task WaitNoPodsAsync(string job) =>
        Eventually.WaitUntilAsync(async () => (await PodsAsync(job)).Count == 0, Timeout, $"the pods of {job} to be gone");

    public async Task<IReadOnlyList<Corev1Event>> EventsAsync(string job, string reason) =>
        (await Client.CoreV1.ListNamespacedEventAsync(Ns)).Items
            .Where(e => e.InvolvedObject.Name == job && e.InvolvedObject.Kind == "TrainingJob" && e.Reason == reason).ToList();

    public async Task<IReadOnlyList<Corev1Event>> ModelEventsAsync(string model, string reason) =>
        (await Client.CoreV1.ListNamespacedEventAsync(Ns)).Items
            .Where(e => e.InvolvedObject.Name == model && e.InvolvedObject.Kind == "MedicalModel" && e.Reason == reason).ToList();

    public async ValueTask DisposeAsync()
    {
        if (Operator is not null)
        {
            await Operator.DisposeAsync();
        }
        await Namespace.DisposeAsync();
    }

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(30));
}
