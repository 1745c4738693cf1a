using System.Text.Json.Nodes;
using k8s;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.IntegrationTests.TrainingJobs;
using MedOps.Runtime.Status;
using MedOps.Testing;
using MedOps.Testing.Servers;

namespace MedOps.IntegrationTests.Node;

/// <summary>
/// The model-initializer image built here, run by the operator as the init container of model
/// server pods on the real node: a pinned model whose content matches is verified and serves,
/// with the digest in its status; one whose content was changed is refused before the server
/// starts and the model says ModelDigestMismatch. And the pods' other causes, in the model's
/// status: an image that does not exist, more GPUs than any node has. And a store the pods reach:
/// an S3-compatible server on the real node's host address, which the initializer in the pod
/// downloads from with the keys of the model's Secret.
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
        Assert.Single(await bed.WaitForEventsAsync(V1Alpha1MedicalModel.KubeKind, "changed", "ModelDigestMismatch"));
        var server = (await PodsAsync(bed, "changed")).Single().Status.ContainerStatuses.Single();
        Assert.Equal(0, server.RestartCount);
        Assert.Null(server.State.Running);
        Assert.Null(server.State.Terminated);
        Assert.Null(server.LastState?.Terminated);
    }

    [Fact]
    public async Task A_model_in_an_s3_store_is_downloaded_in_the_pod_with_the_secrets_keys_verified_and_answers_and_the_stores_refusals_are_named()
    {
        await using var bed = await TrainingTestBed.StartAsync(cluster, "supply-s3");
        var folder = await ClaimFolderAsync(bed);
        await TrainSampleModelAsync(bed, "diagnosis/1.0.0");
        var trained = Path.Combine(folder, "diagnosis", "1.0.0");
        var pin = await HostDigest.OfAsync(trained);

        // The store: on the real node's host address, which pods reach (and nothing off this machine).
        await using var store = await FakeS3Server.StartAsync(HostAddress());
        store.RequiredAccessKeyId = "medops-test";
        foreach (var file in Directory.GetFiles(trained, "*", SearchOption.AllDirectories))
        {
            store.Objects[$"diagnosis/1.0.0/{Path.GetRelativePath(trained, file).Replace('\\', '/')}"] = await File.ReadAllBytesAsync(file);
        }
        await CreateStoreSecretAsync(bed, "store", store.Endpoint, "medops-test");
        await CreateStoreSecretAsync(bed, "wrong-keys", store.Endpoint, "someone-else");

        const string uri = "s3://models/diagnosis/1.0.0";
        await bed.ApplyOkAsync(Model(bed.Ns, "from-s3", uri, pin).With("spec.source.credentialsSecretRef", """{"name": "store"}"""));
        await bed.ApplyOkAsync(Model(bed.Ns, "s3-wrong-pin", uri, "sha256:" + new string('0', 64)).With("spec.source.credentialsSecretRef", """{"name": "store"}"""));
        await bed.ApplyOkAsync(Model(bed.Ns, "s3-missing", "s3://models/diagnosis/9.9.9", pin).With("spec.source.credentialsSecretRef", """{"name": "store"}"""));
        await bed.ApplyOkAsync(Model(bed.Ns, "s3-wrong-keys", uri, pin).With("spec.source.credentialsSecretRef", """{"name": "wrong-keys"}"""));

        var served = await Eventually.WaitForAsync(() => bed.GetModelAsync("from-s3"),
            m => m.Status?.Phase is MedicalModelPhase.Ready or MedicalModelPhase.Failed, Timeout, "the model from the S3 store to be downloaded, verified and served");
        Assert.Equal(MedicalModelPhase.Ready, served.Status!.Phase);
        Assert.Equal(pin, served.Status.ModelDigest);
        var pod = (await PodsAsync(bed, "from-s3")).Single();
        Assert.Equal(RealNodePods.NodeName, pod.Spec.NodeName);
        Assert.Equal($"Verified: {pin}", pod.Status.InitContainerStatuses.Single().State.Terminated.Message);
        Assert.Contains(store.Requests, r => r.Method == "GET" && r.Target.Contains("model", StringComparison.Ordinal)
            && r.Authorization!.Contains("Credential=medops-test/", StringComparison.Ordinal));
        var service = await bed.Client.CoreV1.ReadNamespacedServiceAsync("from-s3", bed.Ns);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var answer = await Eventually.WaitForAsync(
            () => OpenInference.InferAsync(http, $"http://{service.Spec.ClusterIP}:{service.Spec.Ports.Single().Port}", "from-s3"),
            a => a.Answer is not null, TimeSpan.FromSeconds(60), "the model from the S3 store to answer");
        Assert.Equal("benign", answer.Label);

        await ExpectRefusalAsync(bed, "s3-wrong-pin", "ModelDigestMismatch", $"actual {pin}");
        await ExpectRefusalAsync(bed, "s3-missing", "ModelSourceNotFound", "s3://models/diagnosis/9.9.9");
        await ExpectRefusalAsync(bed, "s3-wrong-keys", "ModelUnauthorized", "403");
    }

    private static async Task ExpectRefusalAsync(TrainingTestBed bed, string model, string reason, string quoted)
    {
        var refused = await Eventually.WaitForAsync(() => bed.GetModelAsync(model),
            m => Conditions.Find(m.Status?.Conditions, ConditionTypes.Ready)?.Reason == reason, Timeout, $"model {model} to say {reason}");
        var ready = Conditions.Find(refused.Status!.Conditions, ConditionTypes.Ready)!;
        Assert.True(Conditions.IsTrue(refused.Status.Conditions, ConditionTypes.Stalled), $"{model}: {ready.Message}");
        Assert.Contains(quoted, ready.Message, StringComparison.Ordinal);
        Assert.Single(await bed.WaitForEventsAsync(V1Alpha1MedicalModel.KubeKind, model, reason));
    }

    // The host end of the real node's link (hack/node-lib.sh writes it to network.env).
    private static System.Net.IPAddress HostAddress()
    {
        var line = File.ReadAllLines(Path.Combine(RepositoryLayout.ClusterDirectory, "network.env")).Single(l => l.StartsWith("HOST_IP=", StringComparison.Ordinal));
        return System.Net.IPAddress.Parse(line["HOST_IP=".Length..]);
    }

    // A store's Secret as users write it: the keys, the endpoint of an S3-compatible store, the region.
    private static Task CreateStoreSecretAsync(TrainingTestBed bed, string name, Uri endpoint, string accessKeyId) =>
        bed.Client.CoreV1.CreateNamespacedSecretAsync(new k8s.Models.V1Secret
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = name },
            StringData = new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = accessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = "not-a-real-secret",
                ["S3_ENDPOINT"] = endpoint.ToString().TrimEnd('/'),
                ["AWS_REGION"] = "us-east-1",
            },
        }, bed.Ns);

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
        Assert.NotEmpty(await bed.WaitForEventsAsync(V1Alpha1MedicalModel.KubeKind, "no-image", "ImagePullFailed"));

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
