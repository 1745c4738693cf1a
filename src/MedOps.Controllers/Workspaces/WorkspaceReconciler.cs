using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Controllers.Workspaces.Builders;
using MedOps.Controllers.Workspaces.KubeVirt;
using MedOps.Controllers.Workspaces.Lifecycle;
using MedOps.Controllers.Workspaces.Validation;
using MedOps.Runtime;
using MedOps.Runtime.Api;
using MedOps.Runtime.Controllers;
using MedOps.Runtime.Status;
using MedOps.Runtime.Writes;

namespace MedOps.Controllers.Workspaces;

/// <summary>
/// Brings a Workspace's children to what its spec asks (the NetworkPolicy, then the KubeVirt
/// VirtualMachine with its root disk template) and reports the VM's state. Builders decide what
/// the children look like; this class orchestrates: validate, check KubeVirt is there, refuse
/// a disk shrink, apply what differs, write the status, record events.
/// </summary>
public sealed class WorkspaceReconciler(
    Manager manager,
    WorkspaceInformers informers,
    KubeVirtDiscovery discovery,
    ControllerSettings settings,
    TimeProvider time) : IReconciler<V1Alpha1Workspace>
{
    private readonly WorkspaceLifecycleRunner lifecycle = new(manager, settings, time);

    // How soon to look again when discovery has not answered yet (it answers within a request).
    private static readonly TimeSpan DiscoveryPending = TimeSpan.FromMilliseconds(200);

    // Workspaces (by uid) whose running VM got new hardware. The status says so too, but a
    // reconcile triggered by the VM's own update can run before the workspace's status write
    // is back in the cache; remembering it here keeps that reconcile from clearing it.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> restartPending = new();

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(V1Alpha1Workspace workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var ns = workspace.Metadata.NamespaceProperty;
        var name = workspace.Metadata.Name;
        var claim = informers.Claims.Cache.Get(ns, DiskGrowth.ClaimName(name));
        if (workspace.Metadata.DeletionTimestamp is not null)
        {
            // Without MedOps' finalizer the VM (and through it the DataVolume and its claim)
            // carries owner references: the garbage collector removes them.
            return await DeleteAsync(workspace, claim, cancellationToken);
        }
        if (await ProtectAsync(workspace, cancellationToken))
        {
            // The finalizer write comes back as an update of the workspace.
            return ReconcileResult.Done;
        }
        var problem = WorkspaceValidator.Validate(workspace);
        var kubeVirt = informers.KubeVirt;
        KubeVirtVirtualMachine? vm = null;
        CdiDataVolume? disk = null;
        var hardwareChanged = false;
        var changes = new ChildChanges();

        if (problem is null)
        {
            // Confine the VM's traffic before it can run.
            await manager.Children.ApplyOrDeleteAsync(changes, workspace, ResourceType.For<V1NetworkPolicy>(),
                WorkspaceNetworkPolicyBuilder.Build(workspace, settings.PhiEgressCidrs), informers.NetworkPolicies.Cache.Get(ns, name), cancellationToken);
            if (kubeVirt is null)
            {
                // KubeVirtDiscovery asks the cluster (now, then every few seconds) and brings every
                // workspace back once KubeVirt is served: no discovery call and no wait here.
                discovery.Request();
                if (discovery.Missing is not { } missing)
                {
                    manager.Events.ChildrenChanged(workspace, changes);
                    return ReconcileResult.RequeueAfter(DiscoveryPending);
                }
                problem = new Problem(WorkspaceReasons.KubeVirtNotInstalled,
                    $"KubeVirt is not installed: the cluster does not serve {missing}. Install KubeVirt and CDI; the workspace is created as soon as they are served.");
            }
        }

        if (kubeVirt is not null)
        {
            vm = kubeVirt.VirtualMachines.Cache.Get(ns, name);
            disk = kubeVirt.DataVolumes.Cache.Get(ns, WorkspaceVirtualMachineBuilder.DataVolumeName(name));
        }

        var growth = DiskGrowth.Plan(workspace, claim);
        if (problem is null && kubeVirt is not null)
        {
            problem = CheckDiskShrink(workspace, vm, disk, DiskGrowth.IsLiveRootDisk(claim) ? claim : null);
            if (problem is null)
            {
                var desired = WorkspaceVirtualMachineBuilder.Build(workspace);
                hardwareChanged = workspace.Spec.Running && WorkspaceStatusBuilder.HasInstance(vm) && HardwareDiffers(vm!, desired);
                vm = await manager.Children.ApplyAsync(changes, ResourceType.For<KubeVirtVirtualMachine>(), desired, vm, cancellationToken);
                (growth, problem) = await GrowDiskAsync(workspace, claim!, growth, cancellationToken);
            }
        }
        if (hardwareChanged)
        {
            restartPending[workspace.Metadata.Uid] = true;
        }
        if (!WorkspaceStatusBuilder.HasInstance(vm))
        {
            // Stopped: the next start uses the new spec.
            restartPending.TryRemove(workspace.Metadata.Uid, out _);
        }

        var status = WorkspaceStatusBuilder.Build(new WorkspaceObservation
        {
            Workspace = workspace,
            Problem = problem,
            VirtualMachine = vm,
            DataVolume = disk,
            HardwareChangedWhileRunning = hardwareChanged || restartPending.ContainsKey(workspace.Metadata.Uid),
            Disk = growth,
            Now = time.GetUtcNow().UtcDateTime,
        });
        manager.Events.ChildrenChanged(workspace, changes);
        var schedule = problem is null ? await lifecycle.DecideAsync(workspace, status, cancellationToken) : ScheduleDecision.Nothing;
        // With a problem the lifecycle waits, and what it announced or did stays on record.
        status.ScheduledStop = problem is null ? schedule.Planned : workspace.Status?.ScheduledStop;
        RecordEvents(workspace, status);
        await manager.Status.UpdateAsync(workspace, workspace.Status, status, cancellationToken);
        await lifecycle.ActAsync(workspace, schedule, cancellationToken);
        // A problem waits for a person (or, for KubeVirtNotInstalled, for the discovery to
        // bring the workspace back): no retry of its own.
        if (problem is not null)
        {
            return ReconcileResult.Terminal(problem.Reason);
        }
        var now = time.GetUtcNow().UtcDateTime;
        return schedule.NextCheck is { } next && next > now ? ReconcileResult.RequeueAfter(next - now) : ReconcileResult.Done;
    }

    /// <summary>
    /// A <c>disk.size</c> below the existing disk's size is refused: shrinking a disk loses data,
    /// and neither CDI nor the storage can do it. The size is read from the disk's claim (grown
    /// disks are grown there), else from the DataVolume, else from the VM's template.
    /// </summary>
    public static Problem? CheckDiskShrink(V1Alpha1Workspace workspace, KubeVirtVirtualMachine? vm, CdiDataVolume? disk, V1PersistentVolumeClaim? claim = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var existing = DiskGrowth.RequestOf(claim) ?? StorageOf(disk?.Spec) ?? StorageOf(vm?.Spec?.DataVolumeTemplates?.FirstOrDefault()?.Spec);
        if (existing is null
            || !KubernetesQuantity.TryParse(existing, out _, out var current)
            || !KubernetesQuantity.TryParse(workspace.Spec.Disk.Size, out _, out var wanted)
            || wanted >= current)
        {
            return null;
        }
        return new Problem(WorkspaceReasons.DiskShrinkRefused,
            $"spec.disk.size {workspace.Spec.Disk.Size} is smaller than the existing disk ({existing}): disks only grow, nothing was changed. Set disk.size to {existing} or more.");
    }

    // Asks the claim for the larger size; the API server refuses it when the claim's
    // StorageClass does not allow expansion (its PersistentVolumeClaimResize admission).
    private async Task<(DiskGrowthPlan, Problem?)> GrowDiskAsync(V1Alpha1Workspace workspace, V1PersistentVolumeClaim claim, DiskGrowthPlan growth, CancellationToken cancellationToken)
    {
        if (growth.ExpandTo is not { } size)
        {
            return (growth, null);
        }
        var patch = new System.Text.Json.Nodes.JsonObject
        {
            ["spec"] = new System.Text.Json.Nodes.JsonObject
            {
                ["resources"] = new System.Text.Json.Nodes.JsonObject { ["requests"] = new System.Text.Json.Nodes.JsonObject { ["storage"] = size } },
            },
        }.ToJsonString();
        try
        {
            await manager.Api.MergePatchAsync<V1PersistentVolumeClaim>(ResourceType.For<V1PersistentVolumeClaim>(),
                claim.Metadata.NamespaceProperty, claim.Metadata.Name, patch, cancellationToken: cancellationToken);
        }
        catch (KubeApiException refused) when (refused.IsRefusal)
        {
            var storageClass = claim.Spec?.StorageClassName is { Length: > 0 } c ? $"StorageClass \"{c}\"" : "no StorageClass";
            return (growth with { ExpandTo = null }, new Problem(WorkspaceReasons.DiskExpansionNotAllowed,
                $"the disk's claim {claim.Metadata.Name} on {storageClass} cannot grow from {growth.Requested} to {size}: {refused.Message}. The disk stays at {growth.Requested}: use a StorageClass that allows volume expansion, or set disk.size back to {growth.Requested}.",
                "spec.disk.size"));
        }
        manager.Events.Normal(workspace, WorkspaceReasons.DiskResizing, $"growing the disk {claim.Metadata.Name} from {growth.Requested} to {size}");
        return (new DiskGrowthPlan(null, size, growth.Capacity), null);
    }

    // Retained and held workspaces carry the finalizer; others do not (deleting them never
    // waits for the operator). True when it wrote.
    private async Task<bool> ProtectAsync(V1Alpha1Workspace workspace, CancellationToken cancellationToken)
    {
        if (WorkspaceRetention.NeedsFinalizer(workspace))
        {
            return await manager.Finalizers.EnsureAsync(workspace, WorkspaceRetention.Finalizer, cancellationToken);
        }
        return await manager.Finalizers.RemoveAsync(workspace, WorkspaceRetention.Finalizer, cancellationToken);
    }

    private async Task<ReconcileResult> DeleteAsync(V1Alpha1Workspace workspace, V1PersistentVolumeClaim? claim, CancellationToken cancellationToken)
    {
        switch (WorkspaceRetention.Plan(workspace, claim))
        {
            case DeletionStep.Held:
                var message = $"deletion is held by legal hold \"{workspace.Spec.LegalHold}\": the workspace and its disk are kept until spec.legalHold is removed";
                var problem = new Problem(WorkspaceReasons.LegalHold, message);
                var status = WorkspaceStatusBuilder.Build(new WorkspaceObservation
                {
                    Workspace = workspace,
                    Problem = problem,
                    VirtualMachine = informers.KubeVirt?.VirtualMachines.Cache.Get(workspace.Metadata.NamespaceProperty, workspace.Metadata.Name),
                    Disk = DiskGrowth.Plan(workspace, claim),
                    Now = time.GetUtcNow().UtcDateTime,
                });
                RecordEvents(workspace, status);
                await manager.Status.UpdateAsync(workspace, workspace.Status, status, cancellationToken);
                return ReconcileResult.Terminal(WorkspaceReasons.LegalHold);
            case DeletionStep.RetainDisk:
                await manager.Api.MergePatchAsync<V1PersistentVolumeClaim>(ResourceType.For<V1PersistentVolumeClaim>(),
                    claim!.Metadata.NamespaceProperty, claim.Metadata.Name, WorkspaceRetention.RetainPatch(workspace, claim, time.GetUtcNow().UtcDateTime),
                    cancellationToken: cancellationToken);
                manager.Events.Normal(workspace, WorkspaceReasons.DiskRetained,
                    $"kept the disk's claim {claim.Metadata.Name} (disk.reclaimPolicy: Retain), labelled {WorkspaceRetention.RetainedFromLabel}={workspace.Metadata.Name}");
                await manager.Finalizers.RemoveAsync(workspace, WorkspaceRetention.Finalizer, cancellationToken);
                return ReconcileResult.Done;
            case DeletionStep.Release:
                await manager.Finalizers.RemoveAsync(workspace, WorkspaceRetention.Finalizer, cancellationToken);
                return ReconcileResult.Done;
            default:
                return ReconcileResult.Done;
        }
    }

    private static string? StorageOf(DataVolumeSpec? spec) =>
        spec?.Storage?.Resources?.Requests is { } requests && requests.TryGetValue("storage", out var size) ? size : null;

    // Cores or memory of the running VM's template differ from the desired ones.
    private static bool HardwareDiffers(KubeVirtVirtualMachine current, KubeVirtVirtualMachine desired)
    {
        var have = current.Spec?.Template?.Spec?.Domain;
        var want = desired.Spec?.Template?.Spec?.Domain;
        if (have?.Cpu?.Cores != want?.Cpu?.Cores)
        {
            return true;
        }
        var a = have?.Memory?.Guest;
        var b = want?.Memory?.Guest;
        if (a == b)
        {
            return false;
        }
        return !(KubernetesQuantity.TryParse(a, out _, out var x) && KubernetesQuantity.TryParse(b, out _, out var y) && x == y);
    }

    // Started and Stopped when the phase gets there; one Warning when a problem appears or
    // changes (not on every periodic re-check of a missing KubeVirt).
    private void RecordEvents(V1Alpha1Workspace workspace, V1Alpha1WorkspaceStatus status)
    {
        var before = workspace.Status;
        var stalled = Conditions.Find(status.Conditions, ConditionTypes.Stalled);
        var wasStalled = Conditions.Find(before?.Conditions, ConditionTypes.Stalled);
        if (stalled is { Status: "True" } && (wasStalled?.Status != "True" || wasStalled.Reason != stalled.Reason
            || before?.ObservedGeneration != status.ObservedGeneration))
        {
            manager.Events.Warning(workspace, stalled.Reason, stalled.Message);
        }
        if (status.Phase != before?.Phase)
        {
            switch (status.Phase)
            {
                case WorkspacePhase.Running when Conditions.IsTrue(status.Conditions, ConditionTypes.Ready):
                    manager.Events.Normal(workspace, WorkspaceReasons.Started, $"virtual machine {status.VmName} is running");
                    break;
                case WorkspacePhase.Stopped:
                    manager.Events.Normal(workspace, WorkspaceReasons.Stopped, $"virtual machine {status.VmName} is stopped; the disk is kept");
                    break;
            }
        }
        var restart = Conditions.Find(status.Conditions, WorkspaceStatusBuilder.RestartRequired);
        if (restart is { Status: "True" } && !Conditions.IsTrue(before?.Conditions, WorkspaceStatusBuilder.RestartRequired))
        {
            manager.Events.Normal(workspace, WorkspaceStatusBuilder.RestartRequired, restart.Message);
        }
    }
}
