using k8s;
using k8s.Models;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Foundation;

/// <summary>
/// The node simulator plays a storage provisioner and the PersistentVolume controller (the local
/// cluster has neither): a claim gets a simulated volume and is bound, so pods that mount it are
/// scheduled; the volume goes with its claim.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StorageSimulationTests(LocalCluster cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_claim_is_bound_and_a_pod_that_mounts_it_runs()
    {
        await using var ns = await cluster.CreateNamespaceAsync("sim-storage");
        await cluster.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "dataset" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("5Gi") } },
            },
        }, ns.Name);

        var claim = await Eventually.WaitForAsync(
            () => cluster.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("dataset", ns.Name),
            c => c.Status?.Phase == "Bound",
            Timeout,
            "the claim to be Bound");
        Assert.Equal("5Gi", claim.Status.Capacity["storage"].ToString());
        var volume = await cluster.Client.CoreV1.ReadPersistentVolumeAsync(claim.Spec.VolumeName);
        Assert.Equal("Bound", volume.Status.Phase);
        Assert.Equal(claim.Metadata.Uid, volume.Spec.ClaimRef.Uid);

        var pod = PodFactory.Pod("trainer", PodFactory.Container());
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data", SubPath = "mri", ReadOnlyProperty = true }];
        pod.Spec.Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "dataset", ReadOnlyProperty = true } }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, ns.Name);

        var running = await Eventually.WaitForAsync(
            () => cluster.Client.CoreV1.ReadNamespacedPodAsync("trainer", ns.Name),
            p => p.Status?.Phase == "Running",
            Timeout,
            "the pod that mounts the claim to be scheduled and Running");
        Assert.StartsWith("sim-", running.Spec.NodeName, StringComparison.Ordinal);

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync("trainer", ns.Name);
        await cluster.Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("dataset", ns.Name);
        await Eventually.WaitUntilAsync(
            async () => (await cluster.Client.CoreV1.ListPersistentVolumeAsync(fieldSelector: $"metadata.name={volume.Metadata.Name}")).Items.Count == 0,
            Timeout,
            "the volume to be deleted with its claim (reclaim policy Delete)");
    }
}
