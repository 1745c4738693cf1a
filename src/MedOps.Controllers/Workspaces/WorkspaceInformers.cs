using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Controllers.Workspaces.KubeVirt;
using MedOps.Runtime;
using MedOps.Runtime.Informers;

namespace MedOps.Controllers.Workspaces;

/// <summary>The caches of KubeVirt's VirtualMachines and CDI's DataVolumes, once KubeVirt is served.</summary>
/// <param name="VirtualMachines">MedOps' VirtualMachines.</param>
/// <param name="DataVolumes">Their root disks (labelled through the VMs' dataVolumeTemplates).</param>
public sealed record KubeVirtInformers(Informer<KubeVirtVirtualMachine> VirtualMachines, Informer<CdiDataVolume> DataVolumes);

/// <summary>
/// The caches the Workspace controller reads. Workspaces and NetworkPolicies are watched from the
/// start. VirtualMachines and DataVolumes are custom resources of an optional dependency: their
/// informers are created only once discovery says KubeVirt is served. An informer for a kind
/// that is not served would fail to LIST, never sync, and so hold back every controller's start
/// and the operator's /readyz; created late, it syncs at once and the workspace heals without
/// a restart.
/// </summary>
public sealed class WorkspaceInformers
{
    private readonly Manager manager;
    private readonly Lock gate = new();
    private KubeVirtInformers? kubeVirt;

    /// <summary>Creates (or joins) the shared informers that need no optional API.</summary>
    public WorkspaceInformers(Manager manager)
    {
        this.manager = manager;
        Workspaces = manager.Informers.Get<V1Alpha1Workspace>();
        NetworkPolicies = manager.Informers.Get<V1NetworkPolicy>(labelSelector: ChildMetadata.ManagedBySelector);
        Claims = manager.Informers.Get<V1PersistentVolumeClaim>();
    }

    /// <summary>
    /// Every claim (shared with the MedicalModel controller): the root disks' claims are CDI's,
    /// labelled with the workspace through the DataVolume, and a retained one keeps its label.
    /// </summary>
    public Informer<V1PersistentVolumeClaim> Claims { get; }

    /// <summary>Workspaces.</summary>
    public Informer<V1Alpha1Workspace> Workspaces { get; }

    /// <summary>NetworkPolicies of PHI and LimitedDataSet workspaces (shared with the other controllers).</summary>
    public Informer<V1NetworkPolicy> NetworkPolicies { get; }

    /// <summary>The KubeVirt caches, synced and watched by the controller, or null while KubeVirt has not been seen.</summary>
    public KubeVirtInformers? KubeVirt
    {
        get
        {
            lock (gate)
            {
                return kubeVirt;
            }
        }
    }

    /// <summary>
    /// What of KubeVirt the cluster does not serve now (both
    /// <c>virtualmachines.kubevirt.io/v1</c> and <c>datavolumes.cdi.kubevirt.io/v1beta1</c> are
    /// needed), or null when both are served. Asks discovery: called by
    /// <see cref="KubeVirtDiscovery"/> only, never in a reconcile.
    /// </summary>
    public async Task<string?> FindMissingKubeVirtAsync(CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        if (!await manager.Discovery.IsServedAsync(KubeVirtVirtualMachine.KubeGroup, KubeVirtVirtualMachine.KubeApiVersion, KubeVirtVirtualMachine.KubePluralName, cancellationToken).ConfigureAwait(false))
        {
            missing.Add($"{KubeVirtVirtualMachine.KubePluralName}.{KubeVirtVirtualMachine.KubeGroup}/{KubeVirtVirtualMachine.KubeApiVersion}");
        }
        if (!await manager.Discovery.IsServedAsync(CdiDataVolume.KubeGroup, CdiDataVolume.KubeApiVersion, CdiDataVolume.KubePluralName, cancellationToken).ConfigureAwait(false))
        {
            missing.Add($"{CdiDataVolume.KubePluralName}.{CdiDataVolume.KubeGroup}/{CdiDataVolume.KubeApiVersion}");
        }
        return missing.Count > 0 ? string.Join(" and ", missing) : null;
    }

    /// <summary>
    /// Creates (or joins) the VirtualMachine and DataVolume informers; they start at once (the
    /// factory runs informers created after its start). Not visible through <see cref="KubeVirt"/>
    /// until <see cref="Publish"/>.
    /// </summary>
    public KubeVirtInformers CreateKubeVirtInformers() => new(
        manager.Informers.Get<KubeVirtVirtualMachine>(labelSelector: ChildMetadata.ManagedBySelector),
        manager.Informers.Get<CdiDataVolume>(labelSelector: ChildMetadata.ManagedBySelector));

    /// <summary>Makes synced KubeVirt caches visible to reconciles.</summary>
    public void Publish(KubeVirtInformers informers)
    {
        lock (gate)
        {
            kubeVirt = informers;
        }
    }

    /// <summary>The workspace a root disk's claim belongs to, from the label CDI copied from its DataVolume.</summary>
    public static IEnumerable<ObjectKey> WorkspaceOf(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var key = ChildMetadata.OwnerLabelKey(V1Alpha1Workspace.KubeKind);
        return claim.Metadata.Labels is { } labels && labels.TryGetValue(key, out var name) && !string.IsNullOrEmpty(name)
            && claim.Metadata.Name == DiskGrowth.ClaimName(name) && DiskGrowth.IsLiveRootDisk(claim)
            ? [new ObjectKey(claim.Metadata.NamespaceProperty ?? "", name)]
            : [];
    }

    /// <summary>The workspace a DataVolume is the disk of, from the selector label KubeVirt copied from the template.</summary>
    public static IEnumerable<ObjectKey> WorkspaceOf(CdiDataVolume dataVolume)
    {
        ArgumentNullException.ThrowIfNull(dataVolume);
        var key = ChildMetadata.OwnerLabelKey(V1Alpha1Workspace.KubeKind);
        return dataVolume.Metadata.Labels is { } labels && labels.TryGetValue(key, out var name) && !string.IsNullOrEmpty(name)
            ? [new ObjectKey(dataVolume.Metadata.NamespaceProperty ?? "", name)]
            : [];
    }
}
