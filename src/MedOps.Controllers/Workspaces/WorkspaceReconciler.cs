using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Controllers.Workspaces.Builders;
using MedOps.Controllers.Workspaces.KubeVirt;
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
        if (workspace.Metadata.DeletionTimestamp is not null)
        {
            // The VM (and through it the DataVolume) carries owner references: the garbage collector removes them.
            return ReconcileResult.Done;
        }
        var ns = workspace.Metadata.NamespaceProperty;
        var name = workspace.Metadata.Name;
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

        if (problem is null && kubeVirt is not null)
        {
            problem = CheckDiskShrink(workspace, vm, disk);
            if (problem is null)
            {
                var desired = WorkspaceVirtualMachineBuilder.Build(workspace);
                hardwareChanged = workspace.Spec.Running && WorkspaceStatusBuilder.HasInstance(vm) && HardwareDiffers(vm!, desired);
                vm = await manager.Children.ApplyAsync(changes, ResourceType.For<KubeVirtVirtualMachine>(), desired, vm, cancellationToken);
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
            Now = time.GetUtcNow().UtcDateTime,
        });
        manager.Events.ChildrenChanged(workspace, changes);
        RecordEvents(workspace, status);
        await manager.Status.UpdateAsync(workspace, workspace.Status, status, cancellationToken);
        // A problem waits for a person (or, for KubeVirtNotInstalled, for the discovery to
        // bring the workspace back): no retry of its own.
        return problem is not null ? ReconcileResult.Terminal(problem.Reason) : ReconcileResult.Done;
    }

    /// <summary>
    /// A <c>disk.size</c> below the existing disk's size is refused: shrinking a disk loses data,
    /// and neither CDI nor the storage can do it. The size is read from the DataVolume (the real
    /// disk), else from the VM's template.
    /// </summary>
    public static Problem? CheckDiskShrink(V1Alpha1Workspace workspace, KubeVirtVirtualMachine? vm, CdiDataVolume? disk)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var existing = StorageOf(disk?.Spec) ?? StorageOf(vm?.Spec?.DataVolumeTemplates?.FirstOrDefault()?.Spec);
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
