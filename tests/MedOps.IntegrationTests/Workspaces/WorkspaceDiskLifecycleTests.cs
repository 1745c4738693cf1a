using k8s;
using k8s.Autorest;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Workspaces;

/// <summary>
/// A workspace's disk over its life, on the local cluster (simulated KubeVirt, CDI and storage:
/// CDI's claim per DataVolume, a storage that grows claims of an expandable class): growth that
/// really expands the claim, a class that cannot grow, a legal hold that outlasts
/// <c>kubectl delete</c>, and a retained disk cloned into a new workspace.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkspaceDiskLifecycleTests(LocalCluster cluster)
{
    [Fact]
    public async Task A_larger_disk_grows_the_claim_and_the_status_follows_until_the_storage_reports_it()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-grow");
        var manifest = bed.Workspace("grow");
        await bed.ApplyOkAsync(manifest);
        await bed.WaitPhaseAsync("grow", WorkspacePhase.Running, ready: true);
        await WaitClaimAsync(bed, "grow-rootdisk", c => c.Status?.Phase == "Bound", "the root disk's claim to be Bound");
        Assert.Equal("20Gi", (await bed.GetAsync("grow")).Status!.DiskCapacity);

        await bed.ApplyOkAsync(manifest.With("spec.disk", """{"size": "40Gi"}"""));
        var claim = await WaitClaimAsync(bed, "grow-rootdisk", c => Capacity(c) == "40Gi", "the claim to report 40Gi");
        Assert.Equal("40Gi", claim.Spec.Resources.Requests["storage"].ToString());
        var grown = await bed.WaitAsync("grow", w => w.Status?.DiskCapacity == "40Gi" && Conditions.IsTrue(w.Status.Conditions, ConditionTypes.Ready)
            && Conditions.Find(w.Status.Conditions, ConditionTypes.Reconciling) is null, "the workspace to report the 40Gi disk and be Ready");
        Assert.Equal(WorkspacePhase.Running, grown.Status!.Phase);
        Assert.NotEmpty(await bed.WaitForEventsAsync("grow", "DiskResizing"));

        // A later "smaller" size is measured against the grown claim, not the original DataVolume.
        await bed.ApplyOkAsync(manifest.With("spec.disk", """{"size": "30Gi"}"""));
        await bed.WaitStalledAsync("grow", "DiskShrinkRefused");
    }

    [Fact]
    public async Task A_storage_class_without_expansion_stalls_naming_the_class()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-fixed");
        var className = $"fixed-size-{bed.Ns}";
        await cluster.Client.StorageV1.CreateStorageClassAsync(new V1StorageClass
        {
            Metadata = new V1ObjectMeta { Name = className },
            Provisioner = "medops.io/node-simulator",
            AllowVolumeExpansion = false,
        });
        try
        {
            var manifest = bed.Workspace("fixed").With("spec.disk", $$"""{"size": "20Gi", "storageClassName": "{{className}}"}""").With("spec.running", "false");
            await bed.ApplyOkAsync(manifest);
            await bed.WaitPhaseAsync("fixed", WorkspacePhase.Stopped, ready: true);
            await WaitClaimAsync(bed, "fixed-rootdisk", c => c.Status?.Phase == "Bound", "the root disk's claim to be Bound");

            await bed.ApplyOkAsync(manifest.With("spec.disk", $$"""{"size": "40Gi", "storageClassName": "{{className}}"}"""));
            var stalled = await bed.WaitStalledAsync("fixed", "DiskExpansionNotAllowed");
            var message = Conditions.Find(stalled.Status!.Conditions, ConditionTypes.Stalled)!.Message;
            Assert.Contains($"StorageClass \"{className}\"", message, StringComparison.Ordinal);
            Assert.Contains("cannot grow from 20Gi to 40Gi", message, StringComparison.Ordinal);
            Assert.Single(await bed.WaitForEventsAsync("fixed", "DiskExpansionNotAllowed"));
            Assert.Equal("20Gi", Capacity(await ReadClaimAsync(bed, "fixed-rootdisk")));
        }
        finally
        {
            await cluster.Client.StorageV1.DeleteStorageClassAsync(className);
        }
    }

    [Fact]
    public async Task A_held_workspace_survives_delete_until_the_hold_is_lifted_then_goes_with_its_disk()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-hold");
        await bed.ApplyOkAsync(bed.Workspace("held").With("spec.legalHold", "\"case-2026-117\""));
        await bed.WaitPhaseAsync("held", WorkspacePhase.Running, ready: true);
        await WaitClaimAsync(bed, "held-rootdisk", c => c.Status?.Phase == "Bound", "the root disk's claim to be Bound");
        await bed.WaitAsync("held", w => w.Metadata.Finalizers?.Contains("medops.io/workspace-protection") == true, "the protection finalizer");

        var delete = await bed.KubectlAsync("delete", "workspace", "held", "--wait=false");
        Assert.True(delete.ExitCode == 0, delete.Output);
        var stalled = await bed.WaitAsync("held", w => w.Metadata.DeletionTimestamp is not null
            && Conditions.Find(w.Status?.Conditions, ConditionTypes.Stalled)?.Reason == "LegalHold", "the deleted workspace to be Stalled by its legal hold");
        Assert.Contains("case-2026-117", Conditions.Find(stalled.Status!.Conditions, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.NotNull(await bed.VmAsync("held"));
        Assert.NotNull(await ReadClaimOrNullAsync(bed, "held-rootdisk"));
        Assert.Single(await bed.WaitForEventsAsync("held", "LegalHold"));

        var lift = await bed.KubectlAsync("patch", "workspace", "held", "--type=merge", "-p", """{"spec":{"legalHold":null}}""");
        Assert.True(lift.ExitCode == 0, lift.Output);
        await Eventually.WaitUntilAsync(async () =>
                (await bed.KubectlAsync("get", "workspace", "held", "-o", "name")).ExitCode != 0
                && await bed.VmAsync("held") is null && await ReadClaimOrNullAsync(bed, "held-rootdisk") is null,
            WorkspaceTestBed.Timeout, "the workspace, its VM and its disk's claim to go once the hold is lifted\n" + bed.OperatorTail());
    }

    [Fact]
    public async Task A_retained_disk_outlives_its_workspace_and_is_cloned_into_a_new_one()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-retain");
        await bed.ApplyOkAsync(bed.Workspace("keep").With("spec.disk", """{"size": "20Gi", "reclaimPolicy": "Retain"}"""));
        await bed.WaitPhaseAsync("keep", WorkspacePhase.Running, ready: true);
        await WaitClaimAsync(bed, "keep-rootdisk", c => c.Status?.Phase == "Bound", "the root disk's claim to be Bound");

        var delete = await bed.KubectlAsync("delete", "workspace", "keep", "--wait=true", "--timeout=60s");
        Assert.True(delete.ExitCode == 0, delete.Output + bed.OperatorTail());
        await Eventually.WaitUntilAsync(async () => await bed.VmAsync("keep") is null && await bed.DataVolumeAsync("keep-rootdisk") is null,
            WorkspaceTestBed.Timeout, "the VM and the DataVolume to be garbage-collected");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var kept = await ReadClaimAsync(bed, "keep-rootdisk");
        Assert.Null(kept.Metadata.DeletionTimestamp);
        Assert.True(kept.Metadata.OwnerReferences is null or { Count: 0 }, "the retained claim has no owner left");
        Assert.Equal("keep", kept.Metadata.Labels["medops.io/retained-from-workspace"]);
        Assert.Equal("PHI", kept.Metadata.Labels["medops.io/data-classification"]);
        Assert.Equal("dr.smith@hospital.example", kept.Metadata.Annotations["medops.io/owner"]);

        // The way to re-attach it: a new workspace cloned from the claim.
        await bed.ApplyOkAsync(bed.Workspace("reborn").With("spec.image", "{\"pvc\": {\"namespace\": \"" + bed.Ns + "\", \"name\": \"keep-rootdisk\"}}"));
        await bed.WaitPhaseAsync("reborn", WorkspacePhase.Running, ready: true);
        var clone = await bed.WaitDataVolumeAsync("reborn-rootdisk");
        Assert.Equal("keep-rootdisk", clone.Text("spec.source.pvc.name"));
    }

    private static string? Capacity(V1PersistentVolumeClaim claim) =>
        claim.Status?.Capacity is { } capacity && capacity.TryGetValue("storage", out var size) ? size.ToString() : null;

    private static Task<V1PersistentVolumeClaim> ReadClaimAsync(WorkspaceTestBed bed, string name) =>
        bed.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, bed.Ns);

    private static async Task<V1PersistentVolumeClaim?> ReadClaimOrNullAsync(WorkspaceTestBed bed, string name)
    {
        try
        {
            return await ReadClaimAsync(bed, name);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<V1PersistentVolumeClaim> WaitClaimAsync(WorkspaceTestBed bed, string name, Func<V1PersistentVolumeClaim, bool> condition, string because) =>
        (await Eventually.WaitForAsync(() => ReadClaimOrNullAsync(bed, name), c => c is not null && condition(c), WorkspaceTestBed.Timeout,
            because + "\n" + bed.OperatorTail()))!;
}
