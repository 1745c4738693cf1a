using k8s.Models;
using MedOps.Api.V1Alpha1;
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
}
