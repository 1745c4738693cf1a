using System.Text.Json.Nodes;
using k8s;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.IntegrationTests.TrainingJobs;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Node;

/// <summary>
/// The model-initializer image built here, run by the operator as the init container of model
/// server pods on the real node: a pinned model whose content matches is verified and serves,
/// with the digest in its status; one whose content was changed is refused before the server
/// starts and the model says ModelDigestMismatch. And the pods' other causes, in the model's
/// status: an image that does not exist, more GPUs than any node has.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ModelSupplyChainTests(LocalCluster cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_pinned_model_is_verified_in_the_pod_and_a_changed_one_is_refused_before_its_server_starts()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "supply-digest");
        var folder = await ClaimFolderAsync(bed);
        var good = Path.Combine(folder, "diagnosis", "1.0.0");
        await TrainSampleModelAsync(bed, "diagnosis/1.0.0");
        var pin = await HostDigest.OfAsync(good);
        var changed = Path.Combine(folder, "diagnosis", "1.0.1");
        CopyFolder(good, changed);
        await File.AppendAllTextAsync(Path.Combine(changed, "model.json"), " ");

        await bed.ApplyOkAsync(Model(bed.Ns, "pinned", "pvc://models/diagnosis/1.0.0", pin));
        await bed.ApplyOkAsync(Model(bed.Ns, "changed", "pvc://models/diagnosis/1.0.1", pin));

        var pinned = await Eventually.WaitForAsync(() => bed.GetModelAsync("pinned"),
            m => m.Status?.Phase is MedicalModelPhase.Ready or MedicalModelPhase.Failed, Timeout, "the pinned model to be verified and served");
        Assert.Equal(MedicalModelPhase.Ready, pinned.Status!.Phase);
        Assert.Equal(pin, pinned.Status.ModelDigest);
        var wide = await bed.KubectlAsync("get", "mm", "pinned", "-o", "wide");
        Assert.Contains(pin, wide.StandardOutput, StringComparison.Ordinal);
        var pod = (await PodsAsync(bed, "pinned")).Single();
        Assert.Equal(RealNodePods.NodeName, pod.Spec.NodeName);
        var init = pod.Status.InitContainerStatuses.Single();
        Assert.Equal(("model-initializer", 0, $"Verified: {pin}"), (init.Name, init.State.Terminated.ExitCode, init.State.Terminated.Message));

        var refused = await Eventually.WaitForAsync(() => bed.GetModelAsync("changed"),
            m => m.Status?.Phase is MedicalModelPhase.Ready or MedicalModelPhase.Failed, Timeout, "the changed model to be refused");
        var ready = Conditions.Find(refused.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Equal(MedicalModelPhase.Failed, refused.Status.Phase);
        Assert.Equal(("False", "ModelDigestMismatch"), (ready.Status, ready.Reason));
        Assert.True(Conditions.IsTrue(refused.Status.Conditions, ConditionTypes.Stalled));
        Assert.Contains($"DigestMismatch: expected {pin} actual sha256:", ready.Message, StringComparison.Ordinal);
        Assert.Null(refused.Status.ModelDigest);
        // Let the kubelet restart the initializer a few times: still one Warning, and no server ever ran.
        await Task.Delay(TimeSpan.FromSeconds(15));
        Assert.Single(await bed.EventsAsync(V1Alpha1MedicalModel.KubeKind, "changed", "ModelDigestMismatch"));
        var server = (await PodsAsync(bed, "changed")).Single().Status.ContainerStatuses.Single();
        Assert.Equal(0, server.RestartCount);
        Assert.Null(server.State.Running);
        Assert.Null(server.State.Terminated);
        Assert.Null(server.LastState?.Terminated);
    }

    [Fact]
    public async Task A_missing_image_and_a_gpu_count_no_node_has_are_named_in_the_status()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "supply-causes");
        const string missing = "localhost/medops/no-such-server:0.1.0";
        await bed.ApplyOkAsync(Model(bed.Ns, "no-image", "pvc://models/none/1.0.0", null).With("spec.runtime.image", $"\"{missing}\""));
        await bed.ApplyOkAsync(Manifests.MinimalMedicalModel("too-many-gpus", bed.Ns)
            .With("spec.dataClassification", "\"DeIdentified\"")
            .With("spec.resources", """{"cpu": "1", "memory": "1Gi", "gpu": {"count": 64}}"""));

        var noImage = await Eventually.WaitForAsync(() => bed.GetModelAsync("no-image"),
            m => Conditions.Find(m.Status?.Conditions, ConditionTypes.Ready)?.Reason == "ImagePullFailed", Timeout,
            "the model to say its image cannot be pulled");
        var pull = Conditions.Find(noImage.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.Contains(missing, pull.Message, StringComparison.Ordinal);
        Assert.True(Conditions.IsTrue(noImage.Status.Conditions, ConditionTypes.Reconciling));
        Assert.NotEmpty(await bed.EventsAsync(V1Alpha1MedicalModel.KubeKind, "no-image", "ImagePullFailed"));

        var unplaced = await Eventually.WaitForAsync(() => bed.GetModelAsync("too-many-gpus"),
            m => Conditions.Find(m.Status?.Conditions, ConditionTypes.Ready)?.Reason == "Unschedulable", Timeout,
            "the model to quote the scheduler");
        var message = Conditions.Find(unplaced.Status!.Conditions, ConditionTypes.Ready)!.Message;
        Assert.Matches(@"cannot be scheduled: 0/\d+ nodes are available: .*Insufficient nvidia\.com/gpu", message);
    }

    // A CPU model on the real node, served by the sample server from a claim folder.
    private static JsonObject Model(string ns, string name, string uri, string? digest) =>
        Manifests.MinimalMedicalModel(name, ns)
            .With("spec.modality", "\"Tabular\"")
            .With("spec.dataClassification", "\"DeIdentified\"")
            .With("spec.source", digest is null ? $$"""{"uri": "{{uri}}"}""" : $$"""{"uri": "{{uri}}", "digest": "{{digest}}"}""")
            .With("spec.runtime", $$"""{"image": "{{RealNodePods.ServerImage}}", "port": 8080}""")
            .With("spec.resources", """{"cpu": "250m", "memory": "256Mi"}""")
            .With("spec.nodeSelector", RealNodePods.NodeSelectorJson)
            .With("spec.tolerations", RealNodePods.TolerationsJson);

    private static async Task<IReadOnlyList<k8s.Models.V1Pod>> PodsAsync(TrainingTestBed bed, string model) =>
        (await bed.Client.CoreV1.ListNamespacedPodAsync(bed.Ns, labelSelector: $"medops.io/medicalmodel={model}")).Items.ToList();

    // The simulator binds the claim to a folder of this machine, which the real node mounts.
    private static async Task<string> ClaimFolderAsync(TrainingTestBed bed)
    {
        var claim = await Eventually.WaitForAsync(
            () => bed.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(TrainingTestBed.OutputClaim, bed.Ns),
            c => c.Status?.Phase == "Bound", TimeSpan.FromSeconds(30), "the output claim to be bound");
        var folder = Path.Combine(RepositoryLayout.ClusterDirectory, "volumes", claim.Metadata.Uid);
        Assert.True(Directory.Exists(folder), $"no folder {folder} for the bound claim");
        return folder;
    }

    // The sample trainer, run in a plain pod on the real node, writing into the claim.
    private static async Task TrainSampleModelAsync(TrainingTestBed bed, string subPath)
    {
        var file = Path.Combine(Path.GetTempPath(), $"medops-trainer-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, RealNodePods.TrainerPod("trainer", TrainingTestBed.OutputClaim, subPath));
        try
        {
            var applied = await bed.KubectlAsync("apply", "-f", file);
            Assert.True(applied.ExitCode == 0, applied.Output);
        }
        finally
        {
            File.Delete(file);
        }
        var pod = await Eventually.WaitForAsync(() => bed.Client.CoreV1.ReadNamespacedPodAsync("trainer", bed.Ns),
            p => p.Status?.Phase is "Succeeded" or "Failed", Timeout, "the sample trainer to finish");
        Assert.Equal("Succeeded", pod.Status.Phase);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
