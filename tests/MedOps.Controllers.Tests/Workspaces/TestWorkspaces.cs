using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Workspaces;
using MedOps.Controllers.Workspaces.KubeVirt;

namespace MedOps.Controllers.Tests.Workspaces;

/// <summary>Workspaces as a platform engineer writes them, stored (with a UID) by the API server.</summary>
internal static class TestWorkspaces
{
    public const string Name = "dr-smith";
    public const string Namespace = "research";
    public const string Uid = "0d3c1c0e-7a0e-4a53-9a53-3d1f1c2b9e22";

    public static V1Alpha1Workspace DrSmith(Action<V1Alpha1WorkspaceSpec>? change = null)
    {
        var workspace = new V1Alpha1Workspace
        {
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                NamespaceProperty = Namespace,
                Uid = Uid,
                Generation = 2,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/instance"] = "research-workspaces" },
                Annotations = new Dictionary<string, string> { ["argocd.argoproj.io/tracking-id"] = "x" },
            },
            Spec = new V1Alpha1WorkspaceSpec
            {
                Owner = "dr.smith@hospital.example",
                Cpu = 2,
                Memory = "1Gi",
                Disk = new WorkspaceDisk { Size = "20Gi" },
                Image = new WorkspaceImage { ContainerDisk = "quay.io/containerdisks/ubuntu:22.04" },
                Running = true,
            },
        };
        change?.Invoke(workspace.Spec);
        return workspace;
    }

    public static Dictionary<string, string> ChildLabels { get; } = new()
    {
        ["app.kubernetes.io/managed-by"] = "medops-operator",
        ["app.kubernetes.io/part-of"] = "medops",
        ["app.kubernetes.io/component"] = "workspace",
        ["medops.io/workspace"] = Name,
    };

    /// <summary>A VM as virt-controller reports it.</summary>
    public static KubeVirtVirtualMachine Vm(string? printable, bool ready = false, bool created = false, long generation = 1, long? observed = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = Namespace, Generation = generation },
        Spec = new VirtualMachineSpec(),
        Status = new VirtualMachineStatus { PrintableStatus = printable, Ready = ready, Created = created, ObservedGeneration = observed },
    };

    public static CdiDataVolume Disk(string? phase, string size = "20Gi") => new()
    {
        Metadata = new V1ObjectMeta { Name = Name + "-rootdisk", NamespaceProperty = Namespace },
        Spec = new DataVolumeSpec
        {
            Storage = new DataVolumeStorage { Resources = new DataVolumeResources { Requests = new Dictionary<string, string> { ["storage"] = size } } },
        },
        Status = phase is null ? null : new DataVolumeStatus { Phase = phase },
    };

    /// <summary>
    /// The root disk's claim as CDI makes it: named after the DataVolume, owned by it, labelled
    /// with the workspace; a Bound claim reports <paramref name="capacity"/> (its request unless told).
    /// </summary>
    public static V1PersistentVolumeClaim RootClaim(string request, string? phase = "Bound", string? capacity = null, string? storageClass = "encrypted-ssd") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = Name + "-rootdisk",
            NamespaceProperty = Namespace,
            Uid = "claim-uid",
            ResourceVersion = "42",
            Labels = new Dictionary<string, string>(ChildLabels),
            OwnerReferences =
            [
                new V1OwnerReference { ApiVersion = "cdi.kubevirt.io/v1beta1", Kind = "DataVolume", Name = Name + "-rootdisk", Uid = "dv-uid", Controller = true, BlockOwnerDeletion = true },
            ],
        },
        Spec = new V1PersistentVolumeClaimSpec
        {
            StorageClassName = storageClass,
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(request) } },
        },
        Status = phase is null ? null : new V1PersistentVolumeClaimStatus
        {
            Phase = phase,
            Capacity = phase == "Bound" ? new Dictionary<string, ResourceQuantity> { ["storage"] = new(capacity ?? request) } : null,
        },
    };

    /// <summary><paramref name="workspace"/> with MedOps' protecting finalizer (and <paramref name="others"/> before it).</summary>
    public static V1Alpha1Workspace Protected(V1Alpha1Workspace workspace, params string[] others)
    {
        workspace.Metadata.Finalizers = [.. others, WorkspaceRetention.Finalizer];
        return workspace;
    }

    /// <summary><paramref name="workspace"/> as the API server shows it once someone deleted it.</summary>
    public static V1Alpha1Workspace Deleted(V1Alpha1Workspace workspace)
    {
        workspace.Metadata.DeletionTimestamp = new DateTime(2026, 12, 1, 11, 59, 0, DateTimeKind.Utc);
        workspace.Metadata.ResourceVersion = "7";
        return workspace;
    }
}
