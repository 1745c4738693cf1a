using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.IntegrationTests.Beds;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.MedicalModels;

/// <summary>
/// One test's world: a fresh namespace and the real operator process watching only it, plus
/// kubectl-style helpers to apply models and wait on their conditions.
/// </summary>
internal sealed class ModelTestBed : KindTestBed<V1Alpha1MedicalModel>
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private ModelTestBed(LocalCluster cluster, TestNamespace ns)
        : base(cluster, ns, Timeout)
    {
    }

    public static Task<ModelTestBed> StartAsync(LocalCluster cluster, string prefix) =>
        StartAsync(cluster, prefix, ns => new ModelTestBed(cluster, ns));

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

    public Task<V1Alpha1MedicalModel> WaitReadyAsync(string name) =>
        WaitAsync(name, m => m.Status?.ObservedGeneration == m.Metadata.Generation && Conditions.IsTrue(m.Status?.Conditions, ConditionTypes.Ready)
            && m.Status?.Phase == MedicalModelPhase.Ready, $"model {name} to be Ready");

    public Task<V1Alpha1MedicalModel> WaitStalledAsync(string name, string reason) =>
        WaitAsync(name, m => m.Status?.ObservedGeneration == m.Metadata.Generation && TrueAndNotReady(m.Status?.Conditions, ConditionTypes.Stalled, reason),
            $"model {name} to be Stalled with reason {reason}");

    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string model) =>
        (await Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: $"medops.io/medicalmodel={model}")).Items.ToList();
}
