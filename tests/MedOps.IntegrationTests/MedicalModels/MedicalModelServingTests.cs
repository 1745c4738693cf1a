using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.MedicalModels;

/// <summary>
/// MedicalModel end to end on the real control plane: the operator process, the real scheduler
/// and the simulated GPU nodes.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MedicalModelServingTests(LocalCluster cluster)
{
    [Fact]
    public async Task A_gpu_model_gets_its_children_lands_on_a_matching_gpu_node_and_becomes_ready()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-gpu");
        await bed.ApplyOkAsync(bed.GpuModel("chest-xray"));

        var model = await bed.WaitReadyAsync("chest-xray");
        Assert.Equal($"http://chest-xray.{bed.Ns}.svc:8080", model.Status!.Endpoint);
        Assert.Equal(1, model.Status.ReadyReplicas);
        Assert.True(Conditions.IsTrue(model.Status.Conditions, ConditionTypes.Available));
        Assert.Null(Conditions.Find(model.Status.Conditions, ConditionTypes.Stalled));

        var deployment = await bed.Client.AppsV1.ReadNamespacedDeploymentAsync("chest-xray", bed.Ns);
        Assert.Equal("1", deployment.Spec.Template.Spec.Containers.Single().Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.NotNull(await bed.Client.CoreV1.ReadNamespacedServiceAsync("chest-xray", bed.Ns));
        Assert.NotNull(await bed.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("chest-xray", bed.Ns));

        var pod = Assert.Single(await bed.PodsAsync("chest-xray"));
        var node = await bed.Client.CoreV1.ReadNodeAsync(pod.Spec.NodeName);
        Assert.Equal("NVIDIA-A100-SXM4-80GB", node.Metadata.Labels["nvidia.com/gpu.product"]);

        var wait = await cluster.KubectlAsync("-n", bed.Ns, "wait", "--for=condition=Ready", "mm/chest-xray", "--timeout=30s");
        Assert.True(wait.ExitCode == 0, wait.Output);
    }

    [Fact]
    public async Task A_model_needing_80_gigabytes_never_lands_on_the_16_gigabyte_product()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-mem");
        // Any GPU product, but at least 60 GiB of GPU memory: only the A100 nodes qualify.
        var manifest = bed.GpuModel("big").With("spec.resources.gpu", """{"count": 1, "minMemory": "60Gi"}""").With("spec.replicas", "3");
        await bed.ApplyOkAsync(manifest);

        await bed.WaitReadyAsync("big");
        foreach (var pod in await bed.PodsAsync("big"))
        {
            var node = await bed.Client.CoreV1.ReadNodeAsync(pod.Spec.NodeName);
            Assert.Equal("NVIDIA-A100-SXM4-80GB", node.Metadata.Labels["nvidia.com/gpu.product"]);
        }

        // Asking for a T4 with 80 GB can never be placed: the pods stay pending, the model Deploying.
        await bed.ApplyOkAsync(bed.GpuModel("impossible", product: "Tesla-T4", minMemory: "80Gi"));
        await bed.WaitAsync("impossible", m => m.Status?.Phase == MedicalModelPhase.Deploying, "the impossible model to be Deploying");
        // A wrong placement happens at the scheduler's first attempt, within a second of the ReplicaSet creating the pods (the Deployment exists once Deploying): 5 s covers it.
        await Eventually.HoldsForAsync(async () => (await bed.PodsAsync("impossible")).All(p => p.Spec.NodeName is null),
            TimeSpan.FromSeconds(5), "the impossible model's pods to stay unscheduled");
    }

    [Fact]
    public async Task Changing_the_version_rolls_out_and_observed_generation_follows()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-rollout");
        var manifest = bed.CpuModel("notes");
        await bed.ApplyOkAsync(manifest);
        var first = await bed.WaitReadyAsync("notes");

        await bed.ApplyOkAsync(manifest.With("spec.version", "\"2.0.0\"").With("spec.runtime.image", "\"registry.example/notes:2.0.0\""));
        var second = await bed.WaitAsync("notes", m => m.Metadata.Generation > first.Metadata.Generation
            && m.Status?.ObservedGeneration == m.Metadata.Generation && m.Status.Phase == MedicalModelPhase.Ready, "the new version to be Ready");

        var deployment = await bed.Client.AppsV1.ReadNamespacedDeploymentAsync("notes", bed.Ns);
        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.Equal("registry.example/notes:2.0.0", container.Image);
        Assert.Contains(container.Env, e => e.Name == "MEDOPS_MODEL_VERSION" && e.Value == "2.0.0");
        Assert.Equal(second.Metadata.Generation, second.Status!.ObservedGeneration);
        Assert.All(await bed.PodsAsync("notes"), p => Assert.Equal("registry.example/notes:2.0.0", p.Spec.Containers.Single().Image));
    }

    [Fact]
    public async Task A_deleted_or_edited_child_is_repaired_within_seconds()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-repair");
        await bed.ApplyOkAsync(bed.CpuModel("notes").With("spec.replicas", "2"));
        await bed.WaitReadyAsync("notes");

        // kubectl, as a person would (the 1.20 apiserver answers a Service delete with a Status
        // that the typed client cannot read).
        var delete = await cluster.KubectlAsync("-n", bed.Ns, "delete", "service", "notes");
        Assert.True(delete.ExitCode == 0, delete.Output);
        await Eventually.WaitUntilAsync(async () => (await bed.Client.CoreV1.ListNamespacedServiceAsync(bed.Ns)).Items.Any(s => s.Metadata.Name == "notes"),
            TimeSpan.FromSeconds(10), "the deleted Service to be recreated");

        await bed.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "notes", bed.Ns);
        await Eventually.WaitUntilAsync(async () => (await bed.Client.AppsV1.ReadNamespacedDeploymentAsync("notes", bed.Ns)).Spec.Replicas == 2,
            TimeSpan.FromSeconds(10), "the scaled Deployment to be set back to 2 replicas");

        await bed.Client.AppsV1.DeleteNamespacedDeploymentAsync("notes", bed.Ns);
        await bed.WaitReadyAsync("notes");
    }

    [Fact]
    public async Task Suspending_scales_to_zero_and_frees_the_gpus_and_resuming_serves_again()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-suspend");
        var manifest = bed.GpuModel("chest-xray");
        await bed.ApplyOkAsync(manifest);
        await bed.WaitReadyAsync("chest-xray");

        await bed.ApplyOkAsync(manifest.With("spec.suspend", "true"));
        var suspended = await bed.WaitAsync("chest-xray", m => m.Status?.Phase == MedicalModelPhase.Suspended
            && m.Status.ObservedGeneration == m.Metadata.Generation, "the model to be Suspended");
        Assert.True(Conditions.IsTrue(suspended.Status!.Conditions, ConditionTypes.Ready));
        Assert.Equal(0, (await bed.Client.AppsV1.ReadNamespacedDeploymentAsync("chest-xray", bed.Ns)).Spec.Replicas);
        await Eventually.WaitUntilAsync(async () => (await bed.PodsAsync("chest-xray")).Count == 0, ModelTestBed.Timeout, "the GPU pods to be gone");

        await bed.ApplyOkAsync(manifest.With("spec.suspend", "false"));
        await bed.WaitReadyAsync("chest-xray");
    }

    [Fact]
    public async Task Autoscaling_creates_an_hpa_at_the_served_version_and_a_pdb_when_two_replicas_are_the_floor()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-hpa");
        var manifest = bed.CpuModel("notes").With("spec.autoscaling", """{"minReplicas": 2, "maxReplicas": 4}""");
        await bed.ApplyOkAsync(manifest);
        await bed.WaitReadyAsync("notes");

        // The local cluster (1.20) serves autoscaling/v2beta2 and policy/v1beta1 only.
        var hpa = await cluster.KubectlAsync("-n", bed.Ns, "get", "horizontalpodautoscalers.v2beta2.autoscaling", "notes", "-o", "jsonpath={.spec.minReplicas}/{.spec.maxReplicas}");
        Assert.Equal("2/4", hpa.StandardOutput.Trim());
        var pdb = await cluster.KubectlAsync("-n", bed.Ns, "get", "poddisruptionbudgets.v1beta1.policy", "notes", "-o", "jsonpath={.spec.maxUnavailable}");
        Assert.Equal("1", pdb.StandardOutput.Trim());

        await bed.ApplyOkAsync(manifest.With("spec.autoscaling", null));
        await Eventually.WaitUntilAsync(async () => (await cluster.KubectlAsync("-n", bed.Ns, "get", "hpa,pdb", "-o", "name")).StandardOutput.Trim().Length == 0,
            ModelTestBed.Timeout, "the HPA and PDB to be removed when autoscaling is turned off");
    }

    [Fact]
    public async Task A_model_waiting_for_its_training_job_is_pending_then_serves_when_the_job_succeeds()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-tjref");
        var storage = await MedOpsCrds.KubectlOnManifestAsync(cluster, File.ReadAllText(Path.Combine(RepositoryLayout.Root, "samples", "storage.yaml")), "apply", "-n", bed.Ns);
        Assert.True(storage.ExitCode == 0, storage.Output);
        // One worker that the node simulator finishes successfully after a few seconds.
        var job = Manifests.MinimalTrainingJob("train", bed.Ns)
            .With("spec.env", """[{"name": "MEDOPS_SIM_EXIT_CODE", "value": "0"}, {"name": "MEDOPS_SIM_RUN_SECONDS", "value": "4"}]""");
        await MedOpsCrds.KubectlOnManifestAsync(cluster, job.ToJsonString(), "apply");
        await bed.ApplyOkAsync(bed.CpuModel("trained").With("spec.source", """{"trainingJobRef": {"name": "train"}}"""));

        var waiting = await bed.WaitAsync("trained", m => Conditions.Find(m.Status?.Conditions, ConditionTypes.Ready)?.Reason == ConditionReasons.WaitingForTrainingJob,
            "the model to wait for its training job");
        Assert.Equal(MedicalModelPhase.Pending, waiting.Status!.Phase);
        Assert.Null(Conditions.Find(waiting.Status.Conditions, ConditionTypes.Stalled));

        var serving = await bed.WaitReadyAsync("trained");
        Assert.Equal("pvc://models/chest-xray/1.5.0", serving.Status!.ModelUri);
        Assert.Equal("train", serving.Status.Lineage?.TrainingJob);
        Assert.Equal("cxr-2024", serving.Status.Lineage?.DatasetClaim);
        var deployment = await bed.Client.AppsV1.ReadNamespacedDeploymentAsync("trained", bed.Ns);
        Assert.Contains(deployment.Spec.Template.Spec.Volumes, v => v.PersistentVolumeClaim?.ClaimName == "models");
    }

    [Fact]
    public async Task Once_models_are_ready_the_operator_makes_no_request_but_its_watches()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-steady");
        await bed.ApplyOkAsync(bed.GpuModel("chest-xray").With("spec.replicas", "2"));
        await bed.ApplyOkAsync(bed.CpuModel("notes").With("spec.autoscaling", """{"minReplicas": 2, "maxReplicas": 3}"""));
        await bed.WaitReadyAsync("chest-xray");
        await bed.WaitReadyAsync("notes");

        var from = DateTime.UtcNow;
        // The operator has no resync; 20 s spans one 15 s HPA sync of kube-controller-manager (default period, kept by hack/cluster-up.sh): any HPA status it writes comes back through the operator's HPA watch.
        await Task.Delay(TimeSpan.FromSeconds(20));
        var to = DateTime.UtcNow;
        await AuditLogMarker.WaitForFlushAsync(cluster);

        var requests = AuditLog.Requests(cluster.AuditLogPath, "medops-dev", from, to)
            .Where(r => r.UserAgent.Contains($"(pid {bed.Operator.Pid})", StringComparison.Ordinal) && r.Verb != "watch" && r.Resource != "leases")
            .ToList();
        Assert.True(requests.Count == 0, "requests in steady state: " + string.Join(", ", requests.Select(r => $"{r.Verb} {r.Resource}/{r.Name}")));
    }

    [Fact]
    public async Task Deleting_the_model_deletes_its_children()
    {
        await using var bed = await ModelTestBed.StartAsync(cluster, "mm-delete");
        await bed.ApplyOkAsync(bed.GpuModel("chest-xray"));
        await bed.WaitReadyAsync("chest-xray");

        await bed.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(GroupVersion.Group, GroupVersion.Version, bed.Ns, "medicalmodels", "chest-xray");

        await Eventually.WaitUntilAsync(async () =>
                (await bed.Client.AppsV1.ListNamespacedDeploymentAsync(bed.Ns)).Items.Count == 0
                && (await bed.Client.CoreV1.ListNamespacedServiceAsync(bed.Ns)).Items.Count == 0
                && (await bed.Client.NetworkingV1.ListNamespacedNetworkPolicyAsync(bed.Ns)).Items.Count == 0
                && (await bed.PodsAsync("chest-xray")).Count == 0,
            ModelTestBed.Timeout, "the children to be garbage-collected");
    }
}
