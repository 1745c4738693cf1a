using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels;
using MedOps.Controllers.Tests.Fakes;
using MedOps.Controllers.Tests.TrainingJobs;
using MedOps.Runtime.Api;
using MedOps.Runtime.Controllers;

namespace MedOps.Controllers.Tests.MedicalModels;

/// <summary>
/// The MedicalModel reconciler's decisions, against an in-memory API server and seeded caches:
/// which children it writes or deletes, what status it writes, and what it returns. The
/// integration tests prove the same against the real control plane.
/// </summary>
public sealed class MedicalModelReconcilerTests : IDisposable
{
    private const string Ns = TestModels.Namespace;
    private const string Base = "/apis/medops.io/v1alpha1/namespaces/radiology/medicalmodels/chest-xray";

    private static readonly ServedVersions Versions = new(
        ResourceType.For<V2HorizontalPodAutoscaler>() with { Version = "v2" },
        ResourceType.For<V1PodDisruptionBudget>() with { Version = "v1" });

    private readonly FakeCluster cluster = new();
    private readonly MedicalModelInformers informers;
    private readonly MedicalModelReconciler reconciler;

    public MedicalModelReconcilerTests()
    {
        informers = new MedicalModelInformers(cluster.Manager, Versions);
        reconciler = new MedicalModelReconciler(cluster.Manager, informers, Versions, new ControllerSettings(), cluster.Time);
    }

    private static V1PersistentVolumeClaim Claim(string name) => FakeCluster.Claim(Ns, name);

    private async Task<ReconcileResult> ReconcileAsync(V1Alpha1MedicalModel model)
    {
        FakeCluster.Seed(informers.Models, model);
        return await reconciler.ReconcileAsync(model, CancellationToken.None);
    }

    private JsonObject StatusWritten() =>
        Assert.Single(cluster.Server.Writes, r => r.Path == Base + "/status").Body!["status"]!.AsObject();

    private static JsonObject Condition(JsonObject status, string type) => FakeCluster.Condition(status, type);

    private static string Child(string group, string plural) => $"PATCH /{group}/namespaces/radiology/{plural}/chest-xray";

    [Fact]
    public async Task A_valid_phi_model_on_an_existing_claim_gets_its_children_and_a_reconciling_status()
    {
        FakeCluster.Seed(informers.Claims, Claim("models"));

        var result = await ReconcileAsync(TestModels.ChestXray());

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal(
            [
                Child("apis/apps/v1", "deployments"),
                Child("api/v1", "services"),
                Child("apis/policy/v1", "poddisruptionbudgets"),
                Child("apis/networking.k8s.io/v1", "networkpolicies"),
                $"PATCH {Base}/status",
            ],
            cluster.Server.Writes.Select(w => w.Line));
        var status = StatusWritten();
        Assert.Equal("Deploying", status["phase"]!.GetValue<string>());
        Assert.Equal("True", Condition(status, ConditionTypes.Reconciling)["status"]!.GetValue<string>());
        Assert.Equal("pvc://models/chest-xray/1.4.0", status["modelUri"]!.GetValue<string>());
    }

    [Fact]
    public async Task Once_everything_is_in_place_a_reconcile_writes_nothing()
    {
        FakeCluster.Seed(informers.Claims, Claim("models"));
        var model = TestModels.ChestXray();
        await ReconcileAsync(model);
        // What a watch would now deliver: the children as applied, the status as written.
        SeedAppliedChildren();
        model.Status = KubernetesJson.Deserialize<V1Alpha1MedicalModelStatus>(StatusWritten().ToJsonString());
        cluster.Server.Requests.Clear();

        var result = await ReconcileAsync(model);

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Empty(cluster.Server.Requests);
    }

    [Fact]
    public async Task A_model_on_a_missing_claim_writes_no_child_and_is_stalled_naming_the_claim()
    {
        var result = await ReconcileAsync(TestModels.ChestXray());

        Assert.Equal(ReconcileResult.Terminal(MedicalModelReasons.ModelClaimNotFound), result);
        Assert.Equal([$"PATCH {Base}/status"], cluster.Server.Writes.Select(w => w.Line));
        var stalled = Condition(StatusWritten(), ConditionTypes.Stalled);
        Assert.Equal(MedicalModelReasons.ModelClaimNotFound, stalled["reason"]!.GetValue<string>());
        Assert.Contains("PersistentVolumeClaim models", stalled["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_spec_leaves_the_children_alone_and_is_stalled()
    {
        var result = await ReconcileAsync(TestModels.ChestXray(s => s.Source.TrainingJobRef = new TrainingJobReference { Name = "cxr-train" }));

        Assert.Equal(ReconcileResult.Terminal(MedicalModelReasons.InvalidSource), result);
        Assert.Equal([$"PATCH {Base}/status"], cluster.Server.Writes.Select(w => w.Line));
        Assert.Equal("Failed", StatusWritten()["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_waiting_for_a_running_job_writes_only_a_pending_status()
    {
        var job = TestJobs.ChestXray();
        job.Status = new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Running };
        FakeCluster.Seed(informers.TrainingJobs, job);

        var result = await ReconcileAsync(TestModels.ChestXray(s => s.Source = new ModelSource { TrainingJobRef = new TrainingJobReference { Name = job.Metadata.Name } }));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {Base}/status"], cluster.Server.Writes.Select(w => w.Line));
        var status = StatusWritten();
        Assert.Equal("Pending", status["phase"]!.GetValue<string>());
        Assert.Equal(MedicalModelReasons.WaitingForTrainingJob, Condition(status, ConditionTypes.Ready)["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_whose_job_is_gone_serves_the_recorded_output()
    {
        FakeCluster.Seed(informers.Claims, Claim("models"));
        var model = TestModels.ChestXray(s => s.Source = new ModelSource { TrainingJobRef = new TrainingJobReference { Name = "cxr-train" } });
        model.Status = new V1Alpha1MedicalModelStatus
        {
            ModelUri = "pvc://models/chest-xray/1.5.0",
            Lineage = new ModelLineage { TrainingJob = "cxr-train", DatasetClaim = "cxr-2024", OutputUri = "pvc://models/chest-xray/1.5.0" },
        };

        var result = await ReconcileAsync(model);

        Assert.Equal(ReconcileResult.Done, result);
        var deployment = Assert.Single(cluster.Server.Writes, w => w.Line == Child("apis/apps/v1", "deployments")).Body!;
        Assert.Contains("\"subPath\":\"chest-xray/1.5.0\"", deployment.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("cxr-train", StatusWritten()["lineage"]!["trainingJob"]!.GetValue<string>());
    }

    [Fact]
    public async Task Autoscaling_turned_off_deletes_our_autoscaler_and_only_ours()
    {
        FakeCluster.Seed(informers.Claims, Claim("models"));
        var model = TestModels.ChestXray();
        FakeCluster.Seed(informers.Autoscalers, new V2HorizontalPodAutoscaler
        {
            Metadata = new V1ObjectMeta
            {
                Name = "chest-xray",
                NamespaceProperty = Ns,
                Uid = "hpa-uid",
                OwnerReferences = [new V1OwnerReference { ApiVersion = GroupVersion.ApiVersion, Kind = V1Alpha1MedicalModel.KubeKind, Name = "chest-xray", Uid = TestModels.Uid, Controller = true }],
            },
        });

        await ReconcileAsync(model);

        Assert.Contains(cluster.Server.Writes, w => w.Line == "DELETE /apis/autoscaling/v2/namespaces/radiology/horizontalpodautoscalers/chest-xray");
    }

    [Fact]
    public async Task An_autoscaler_of_the_same_name_that_is_not_ours_is_left_alone()
    {
        FakeCluster.Seed(informers.Claims, Claim("models"));
        FakeCluster.Seed(informers.Autoscalers, new V2HorizontalPodAutoscaler { Metadata = new V1ObjectMeta { Name = "chest-xray", NamespaceProperty = Ns, Uid = "someone-elses" } });

        await ReconcileAsync(TestModels.ChestXray());

        Assert.DoesNotContain(cluster.Server.Writes, w => w.Method == HttpMethod.Delete);
    }

    // Seeds the caches with the children as the fake server answered their applies.
    private void SeedAppliedChildren()
    {
        foreach (var write in cluster.Server.Writes.Where(w => !w.Path.EndsWith("/status", StringComparison.Ordinal)).ToList())
        {
            var answer = write.Body!.DeepClone().AsObject();
            answer["metadata"]!["generation"] = 1;
            var json = answer.ToJsonString();
            switch (answer["kind"]!.GetValue<string>())
            {
                case "Deployment": FakeCluster.Seed(informers.Deployments, WithStatus(KubernetesJson.Deserialize<V1Deployment>(json))); break;
                case "Service": FakeCluster.Seed(informers.Services, KubernetesJson.Deserialize<V1Service>(json)); break;
                case "PodDisruptionBudget": FakeCluster.Seed(informers.DisruptionBudgets, KubernetesJson.Deserialize<V1PodDisruptionBudget>(json)); break;
                case "NetworkPolicy": FakeCluster.Seed(informers.NetworkPolicies, KubernetesJson.Deserialize<V1NetworkPolicy>(json)); break;
            }
        }
    }

    private static V1Deployment WithStatus(V1Deployment deployment)
    {
        deployment.Status = new V1DeploymentStatus { ObservedGeneration = 1 };
        return deployment;
    }

    public void Dispose() => cluster.Dispose();
}
