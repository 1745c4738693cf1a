using k8s;
using MedOps.Api.V1Alpha1;
using MedOps.IntegrationTests.Api;
using MedOps.Runtime.Status;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Workspaces;

/// <summary>
/// Workspace end to end on the real control plane: the operator process, and the node simulator
/// playing KubeVirt's virt-controller and CDI.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WorkspaceLifecycleTests(LocalCluster cluster)
{
    [Fact]
    public async Task A_workspace_gets_its_vm_and_disk_runs_stops_and_starts_again_on_the_same_disk()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-life");
        var manifest = bed.Workspace("dr-smith");
        await bed.ApplyOkAsync(manifest);

        var vm = await bed.WaitVmAsync("dr-smith", _ => true, "the VirtualMachine to be created");
        Assert.Equal("Always", vm.Text("spec.runStrategy"));
        Assert.Equal("2", vm.Text("spec.template.spec.domain.cpu.cores"));
        Assert.Equal("1Gi", vm.Text("spec.template.spec.domain.memory.guest"));
        Assert.Equal("1Gi", vm.Text("spec.template.spec.domain.resources.requests.memory"));
        Assert.Equal("rootdisk", vm.Text("spec.template.spec.domain.devices.disks.0.name"));
        Assert.Equal("virtio", vm.Text("spec.template.spec.domain.devices.disks.0.disk.bus"));
        Assert.Equal("dr-smith-rootdisk", vm.Text("spec.template.spec.volumes.0.dataVolume.name"));
        Assert.Equal("dr-smith", vm.At("spec.template.metadata.labels")!.Value.GetProperty("medops.io/workspace").GetString());
        Assert.Equal("workspace", vm.At("metadata.labels")!.Value.GetProperty("app.kubernetes.io/component").GetString());
        Assert.Equal("dr-smith-rootdisk", vm.Text("spec.dataVolumeTemplates.0.metadata.name"));
        Assert.Equal("20Gi", vm.Text("spec.dataVolumeTemplates.0.spec.storage.resources.requests.storage"));
        Assert.Equal("docker://quay.io/containerdisks/ubuntu:22.04", vm.Text("spec.dataVolumeTemplates.0.spec.source.registry.url"));
        Assert.Null(vm.At("spec.dataVolumeTemplates.0.spec.storage.storageClassName"));
        var owner = vm.At("metadata.ownerReferences.0")!.Value;
        Assert.Equal("Workspace", owner.Text("kind"));
        Assert.Equal("true", owner.Text("controller"));

        var disk = await bed.WaitDataVolumeAsync("dr-smith-rootdisk");
        Assert.Equal("20Gi", disk.Text("spec.storage.resources.requests.storage"));
        var diskUid = disk.Text("metadata.uid");

        await bed.WaitAsync("dr-smith", w => w.Status?.Phase == WorkspacePhase.Provisioning, "the workspace to be Provisioning while the disk imports");
        var running = await bed.WaitPhaseAsync("dr-smith", WorkspacePhase.Running, ready: true);
        Assert.Equal("dr-smith", running.Status!.VmName);
        Assert.Null(Conditions.Find(running.Status.Conditions, ConditionTypes.Stalled));
        Assert.Null(Conditions.Find(running.Status.Conditions, ConditionTypes.Reconciling));
        Assert.NotNull(await bed.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("dr-smith", bed.Ns));
        var wait = await cluster.KubectlAsync("-n", bed.Ns, "wait", "--for=condition=Ready", "ws/dr-smith", "--timeout=30s");
        Assert.True(wait.ExitCode == 0, wait.Output);

        await bed.ApplyOkAsync(manifest.With("spec.running", "false"));
        await bed.WaitVmAsync("dr-smith", v => v.Text("spec.runStrategy") == "Halted", "the VM to be Halted");
        var stopped = await bed.WaitPhaseAsync("dr-smith", WorkspacePhase.Stopped, ready: true);
        Assert.Equal("Stopped", Conditions.Find(stopped.Status!.Conditions, ConditionTypes.Ready)!.Reason);
        Assert.Equal(diskUid, (await bed.DataVolumeAsync("dr-smith-rootdisk"))?.Text("metadata.uid"));

        await bed.ApplyOkAsync(manifest.With("spec.running", "true"));
        await bed.WaitVmAsync("dr-smith", v => v.Text("spec.runStrategy") == "Always", "the VM to be Always again");
        await bed.WaitPhaseAsync("dr-smith", WorkspacePhase.Running, ready: true);
        Assert.Equal(diskUid, (await bed.DataVolumeAsync("dr-smith-rootdisk"))?.Text("metadata.uid"));

        Assert.NotEmpty(await bed.WaitForEventsAsync("dr-smith", "Created"));
        Assert.NotEmpty(await bed.WaitForEventsAsync("dr-smith", "Started"));
        Assert.NotEmpty(await bed.WaitForEventsAsync("dr-smith", "Stopped"));
    }

    [Fact]
    public async Task A_gpu_workspace_passes_its_gpus_through_tolerates_the_gpu_taint_and_an_unknown_device_is_unschedulable()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-gpu");
        await bed.ApplyOkAsync(bed.Workspace("gpu").With("spec.gpu", """{"count": 2, "deviceName": "nvidia.com/GA100_A100_PCIE_40GB"}"""));
        var vm = await bed.WaitVmAsync("gpu", _ => true, "the GPU VM to be created");
        Assert.Equal("gpu0", vm.Text("spec.template.spec.domain.devices.gpus.0.name"));
        Assert.Equal("gpu1", vm.Text("spec.template.spec.domain.devices.gpus.1.name"));
        Assert.Equal("nvidia.com/GA100_A100_PCIE_40GB", vm.Text("spec.template.spec.domain.devices.gpus.0.deviceName"));
        Assert.Equal("nvidia.com/GA100_A100_PCIE_40GB", vm.Text("spec.template.spec.domain.devices.gpus.1.deviceName"));
        Assert.Null(vm.At("spec.template.spec.domain.devices.gpus.2"));
        // The GPU nodes are tainted nvidia.com/gpu:NoSchedule: the simulated KubeVirt, like the
        // scheduler for the real virt-launcher pod, runs the VM only because it tolerates that.
        Assert.Equal("nvidia.com/gpu", vm.Text("spec.template.spec.tolerations.0.key"));
        Assert.Equal("Exists", vm.Text("spec.template.spec.tolerations.0.operator"));
        Assert.Equal("NoSchedule", vm.Text("spec.template.spec.tolerations.0.effect"));
        await bed.WaitPhaseAsync("gpu", WorkspacePhase.Running, ready: true);

        await bed.ApplyOkAsync(bed.Workspace("nowhere").With("spec.gpu", """{"count": 1, "deviceName": "nvidia.com/NO_SUCH_GPU"}"""));
        var failed = await bed.WaitStalledAsync("nowhere", "ErrorUnschedulable");
        Assert.Equal(WorkspacePhase.Failed, failed.Status!.Phase);
        await bed.WaitForEventsAsync("nowhere", "ErrorUnschedulable", e => e.Type == "Warning", "a Warning event ErrorUnschedulable");

        // A nodeSelector that no node's labels match: the scheduler's own words, through the VM.
        await bed.ApplyOkAsync(bed.Workspace("unmatched").With("spec.nodeSelector", """{"medops.io/pool": "no-such-pool"}"""));
        var unmatched = await bed.WaitStalledAsync("unmatched", "ErrorUnschedulable");
        Assert.Contains("didn't match Pod's node affinity/selector", Conditions.Find(unmatched.Status!.Conditions, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_image_source_becomes_its_cdi_source()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-src");
        // A clone waits for its source claim to exist and be bound, as CDI's does.
        await using var golden = await cluster.CreateNamespaceAsync("golden");
        await cluster.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new k8s.Models.V1PersistentVolumeClaim
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "ubuntu-22" },
            Spec = new k8s.Models.V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new k8s.Models.V1VolumeResourceRequirements { Requests = new Dictionary<string, k8s.Models.ResourceQuantity> { ["storage"] = new("20Gi") } },
            },
        }, golden.Name);
        await bed.ApplyOkAsync(bed.Workspace("web").With("spec.image", """{"http": "https://images.example/ubuntu.qcow2"}""")
            .With("spec.disk", """{"size": "30Gi", "storageClassName": "standard"}"""));
        await bed.ApplyOkAsync(bed.Workspace("clone").With("spec.image", "{\"pvc\": {\"namespace\": \"" + golden.Name + "\", \"name\": \"ubuntu-22\"}}"));

        var web = await bed.WaitVmAsync("web", _ => true, "the http VM");
        Assert.Equal("https://images.example/ubuntu.qcow2", web.Text("spec.dataVolumeTemplates.0.spec.source.http.url"));
        Assert.Equal("standard", web.Text("spec.dataVolumeTemplates.0.spec.storage.storageClassName"));
        Assert.Equal("30Gi", web.Text("spec.dataVolumeTemplates.0.spec.storage.resources.requests.storage"));
        var clone = await bed.WaitVmAsync("clone", _ => true, "the clone VM");
        Assert.Equal(golden.Name, clone.Text("spec.dataVolumeTemplates.0.spec.source.pvc.namespace"));
        Assert.Equal("ubuntu-22", clone.Text("spec.dataVolumeTemplates.0.spec.source.pvc.name"));

        await bed.WaitPhaseAsync("web", WorkspacePhase.Running, ready: true);
        await bed.WaitPhaseAsync("clone", WorkspacePhase.Running, ready: true);
        Assert.Equal("https://images.example/ubuntu.qcow2", (await bed.DataVolumeAsync("web-rootdisk"))?.Text("spec.source.http.url"));
        Assert.Equal("ubuntu-22", (await bed.DataVolumeAsync("clone-rootdisk"))?.Text("spec.source.pvc.name"));
    }

    [Fact]
    public async Task Two_image_sources_or_none_are_stalled_with_one_warning_and_no_vm()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-invalid");
        await bed.ApplyOkAsync(bed.Workspace("two").With("spec.image.http", "\"https://images.example/u.qcow2\""));
        var none = await bed.ApplyAsync(bed.Workspace("none").With("spec.image", "{}"));
        if (none.ExitCode == 0)
        {
            await bed.WaitStalledAsync("none", "InvalidImageSource");
        }
        else
        {
            Assert.Contains("image", none.StandardError, StringComparison.Ordinal);
        }
        var two = await bed.WaitStalledAsync("two", "InvalidImageSource");
        Assert.Equal(WorkspacePhase.Failed, two.Status!.Phase);
        Assert.Contains("containerDisk and http", Conditions.Find(two.Status.Conditions, ConditionTypes.Stalled)!.Message, StringComparison.Ordinal);

        // No hot loop: the status stays as it is and the warning is one Event.
        var before = await bed.GetAsync("two");
        // A stalled workspace returns Terminal (no requeue, WorkspaceReconciler); a hot loop would come back through its own status write's watch event within milliseconds: 3 s holds many laps.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(before.Metadata.ResourceVersion, (await bed.GetAsync("two")).Metadata.ResourceVersion);
        var warnings = await bed.WaitForEventsAsync("two", "InvalidImageSource");
        Assert.Equal("Warning", Assert.Single(warnings).Type);
        Assert.Null(await bed.VmAsync("two"));

        // Fixed: it heals.
        await bed.ApplyOkAsync(bed.Workspace("two"));
        await bed.WaitPhaseAsync("two", WorkspacePhase.Running, ready: true);
    }

    [Fact]
    public async Task Cpu_changes_while_running_need_a_restart_and_a_smaller_disk_is_refused()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-resize");
        var manifest = bed.Workspace("grow");
        await bed.ApplyOkAsync(manifest);
        await bed.WaitPhaseAsync("grow", WorkspacePhase.Running, ready: true);

        await bed.ApplyOkAsync(manifest.With("spec.cpu", "4").With("spec.memory", "\"2Gi\""));
        var restart = await bed.WaitAsync("grow", w => w.Status?.ObservedGeneration == w.Metadata.Generation
            && Conditions.IsTrue(w.Status?.Conditions, "RestartRequired") && Conditions.IsTrue(w.Status?.Conditions, ConditionTypes.Ready),
            "RestartRequired (and still Ready: the VM keeps running) after a cpu change");
        Assert.Equal(WorkspacePhase.Running, restart.Status!.Phase);
        var vm = await bed.WaitVmAsync("grow", v => v.Text("spec.template.spec.domain.cpu.cores") == "4", "the VM spec to have 4 cores");
        Assert.Equal("2Gi", vm.Text("spec.template.spec.domain.memory.guest"));

        await bed.ApplyOkAsync(manifest.With("spec.disk", """{"size": "10Gi"}"""));
        await bed.WaitStalledAsync("grow", "DiskShrinkRefused");
        Assert.Equal("20Gi", (await bed.VmAsync("grow"))?.Text("spec.dataVolumeTemplates.0.spec.storage.resources.requests.storage"));
        Assert.Equal("20Gi", (await bed.DataVolumeAsync("grow-rootdisk"))?.Text("spec.storage.resources.requests.storage"));

        // Stopping applies the new hardware: the restart is no longer required.
        await bed.ApplyOkAsync(manifest.With("spec.disk", """{"size": "40Gi"}""").With("spec.running", "false"));
        var stopped = await bed.WaitPhaseAsync("grow", WorkspacePhase.Stopped, ready: true);
        Assert.Null(Conditions.Find(stopped.Status!.Conditions, "RestartRequired"));
        Assert.Null(Conditions.Find(stopped.Status.Conditions, ConditionTypes.Stalled));
        Assert.Equal("40Gi", (await bed.VmAsync("grow"))?.Text("spec.dataVolumeTemplates.0.spec.storage.resources.requests.storage"));
    }

    [Fact]
    public async Task Deleting_the_workspace_deletes_the_vm_and_its_disk()
    {
        await using var bed = await WorkspaceTestBed.StartAsync(cluster, "ws-delete");
        await bed.ApplyOkAsync(bed.Workspace("gone"));
        await bed.WaitPhaseAsync("gone", WorkspacePhase.Running, ready: true);
        var disk = await bed.WaitDataVolumeAsync("gone-rootdisk");
        Assert.Equal("VirtualMachine", disk.Text("metadata.ownerReferences.0.kind"));

        var delete = await cluster.KubectlAsync("-n", bed.Ns, "delete", "workspace", "gone", "--wait=false");
        Assert.True(delete.ExitCode == 0, delete.Output);
        await Eventually.WaitUntilAsync(async () => await bed.VmAsync("gone") is null && await bed.DataVolumeAsync("gone-rootdisk") is null,
            WorkspaceTestBed.Timeout, "the VM and the DataVolume to be garbage-collected");
    }
}
