using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.IntegrationTests.Operator;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.MedicalModels;

/// <summary>
/// One test's world: a fresh namespace and the real operator process watching only it, plus
/// kubectl-style helpers to apply models and wait on their conditions.
/// </summary>
internal sealed class ModelTestBed : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private ModelTestBed(LocalCluster cluster, TestNamespace ns, OperatorProcess op)
    {
        Cluster = cluster;
        Namespace = ns;
        Operator = op;
    }

    public LocalCluster Cluster { get; }

    public TestNamespace Namespace { get; }

    public OperatorProcess Operator { get; }

    public string Ns => Namespace.Name;

    public IKubernetes Client => Cluster.Client;

    public static async Task<ModelTestBed> StartAsync(LocalCluster cluster, string prefix)
    {
        var ns = await cluster.CreateNamespaceAsync(prefix);
        var op = await OperatorProcess.StartAsync(cluster, "--namespace", ns.Name);
        return new ModelTestBed(cluster, ns, op);
    }

    /// <summary>A GPU imaging model served from object storage (no claim needed), one replica.</summary>
    public JsonObject GpuModel(string name, string product = "NVIDIA-A100-SXM4-80GB", string minMemory = "40Gi") =>
        Manifests.MinimalMedicalModel(name, Ns)
            .With("spec.source", """{"uri": "s3://medops-models/chest-xray/1.4.0"}""")
            .With("spec.resources", $$$"""{"cpu": "2", "memory": "8Gi", "gpu": {"count": 1, "products": ["{{{product}}}"], "minMemory": "{{{minMemory}}}"}}""");

    /// <summary>A CPU text model.</summary>
    public JsonObject CpuModel(string name) =>
        Manifests.MinimalMedicalModel(name, Ns)
            .With("spec.modality", "\"Text\"")
            .With("spec.source", """{"uri": "s3://medops-models/notes/2.1.0"}""")
            .With("spec.resources", """{"cpu": "1", "memory": "2Gi"}""");

    public async Task<ProcessResult> ApplyAsync(JsonObject manifest) =>
        await MedOpsCrds.KubectlOnManifestAsync(Cluster, manifest.ToJsonString(), "apply", "--server-side", "--field-manager", "platform-engineer");

    public async Task ApplyOkAsync(JsonObject manifest)
    {
        var result = await ApplyAsync(manifest);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    public async Task<V1Alpha1MedicalModel> GetAsync(string name) =>
        KubernetesJson.Deserialize<V1Alpha1MedicalModel>(KubernetesJson.Serialize(
            await Client.CustomObjects.GetNamespacedCustomObjectAsync(GroupVersion.Group, GroupVersion.Version, Ns, V1Alpha1MedicalModel.KubePluralName, name)));

    public Task<V1Alpha1MedicalModel> WaitAsync(string name, Func<V1Alpha1MedicalModel, bool> condition, string because, TimeSpan? timeout = null) =>
        Eventually.WaitForAsync(() => GetAsync(name), condition, timeout ?? Timeout, because + "\noperator log:\n" + Tail(Operator.Output));

    public Task<V1Alpha1MedicalModel> WaitReadyAsync(string name) =>
        WaitAsync(name, m => m.Status?.ObservedGeneration == m.Metadata.Generation && Conditions.IsTrue(m.Status?.Conditions, ConditionTypes.Ready)
            && m.Status?.Phase == MedicalModelPhase.Ready, $"model {name} to be Ready");

    public Task<V1Alpha1MedicalModel> WaitStalledAsync(string name, string reason) =>
        WaitAsync(name, m => m.Status?.ObservedGeneration == m.Metadata.Generation
            && Conditions.Find(m.Status?.Conditions, ConditionTypes.Stalled) is { Status: "True" } stalled && stalled.Reason == reason
            && Conditions.Find(m.Status?.Conditions, ConditionTypes.Ready) is { Status: "False" } ready && ready.Reason == reason,
            $"model {name} to be Stalled with reason {reason}");

    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string model) =>
        (await Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: $"medops.io/medicalmodel={model}")).Items.ToList();

    public async Task<IReadOnlyList<Corev1Event>> EventsAsync(string model, string reason) =>
        (await Client.CoreV1.ListNamespacedEventAsync(Ns)).Items
            .Where(e => e.InvolvedObject.Name == model && e.InvolvedObject.Kind == "MedicalModel" && e.Reason == reason).ToList();

    public async ValueTask DisposeAsync()
    {
        await Operator.DisposeAsync();
        await Namespace.DisposeAsync();
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(30));
}
