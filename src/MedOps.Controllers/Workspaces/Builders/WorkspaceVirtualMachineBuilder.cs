using System.Globalization;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Controllers.Workspaces.KubeVirt;

namespace MedOps.Controllers.Workspaces.Builders;

/// <summary>
/// The KubeVirt <c>VirtualMachine</c> <c>&lt;name&gt;</c> of a Workspace, with its root disk as
/// <c>dataVolumeTemplates[0]</c> (<c>&lt;name&gt;-rootdisk</c>), as api.md describes. KubeVirt
/// creates the DataVolume from the template and owns it, so deleting the VM (which the
/// Workspace owns) deletes the disk.
/// </summary>
public static class WorkspaceVirtualMachineBuilder
{
    /// <summary>The disk and volume name of the root disk.</summary>
    public const string RootDisk = "rootdisk";

    /// <summary>The run strategy of a running workspace.</summary>
    public const string RunStrategyAlways = "Always";

    /// <summary>The run strategy of a stopped workspace.</summary>
    public const string RunStrategyHalted = "Halted";

    /// <summary>The DataVolume of <paramref name="workspaceName"/>'s root disk: <c>&lt;name&gt;-rootdisk</c>.</summary>
    public static string DataVolumeName(string workspaceName) => $"{workspaceName}-{RootDisk}";

    /// <summary>
    /// Builds the VM: run strategy from <c>running</c>; <c>domain.cpu.cores</c>,
    /// <c>domain.memory.guest</c> and <c>domain.resources.requests.memory</c> from the spec (the
    /// user's quantity text, unchanged); a virtio disk <c>rootdisk</c> on the DataVolume
    /// <c>&lt;name&gt;-rootdisk</c>; one <c>gpus</c> entry per GPU (<c>gpu0</c>, <c>gpu1</c>, …)
    /// and, with GPUs, tolerations of the GPU nodes' <c>NoSchedule</c> taint;
    /// the template's labels are the child labels (which include the selector label
    /// <c>medops.io/workspace</c> that the NetworkPolicy selects). Validate first.
    /// </summary>
    public static KubeVirtVirtualMachine Build(V1Alpha1Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var owner = ChildOwner.Of(workspace);
        var spec = workspace.Spec;
        var dataVolume = DataVolumeName(owner.Name);
        var gpus = GpuEntries(spec.Gpu);
        return new KubeVirtVirtualMachine
        {
            Metadata = ChildMetadata.Create(owner, ChildComponent.Workspace),
            Spec = new VirtualMachineSpec
            {
                RunStrategy = spec.Running ? RunStrategyAlways : RunStrategyHalted,
                DataVolumeTemplates =
                [
                    new DataVolumeTemplate
                    {
                        Metadata = new DataVolumeTemplateMetadata
                        {
                            Name = dataVolume,
                            Labels = ChildMetadata.Labels(owner, ChildComponent.Workspace),
                        },
                        Spec = DataVolume(spec),
                    },
                ],
                Template = new VirtualMachineInstanceTemplate
                {
                    Metadata = new TemplateMetadata { Labels = ChildMetadata.Labels(owner, ChildComponent.Workspace) },
                    Spec = new VirtualMachineInstanceSpec
                    {
                        Domain = new DomainSpec
                        {
                            Cpu = new DomainCpu { Cores = spec.Cpu },
                            Memory = new DomainMemory { Guest = spec.Memory },
                            Resources = new DomainResources
                            {
                                Requests = new Dictionary<string, string>(StringComparer.Ordinal) { ["memory"] = spec.Memory },
                            },
                            Devices = new DomainDevices
                            {
                                Disks = [new DomainDisk { Name = RootDisk, Disk = new DiskTarget { Bus = "virtio" } }],
                                Gpus = gpus,
                            },
                        },
                        Volumes = [new VirtualMachineVolume { Name = RootDisk, DataVolume = new DataVolumeVolumeSource { Name = dataVolume } }],
                        NodeSelector = PodScheduling.NodeSelector(spec.NodeSelector),
                        Tolerations = Tolerations(spec),
                    },
                },
            },
        };
    }

    /// <summary>The root disk's DataVolume spec: size, StorageClass when set, and the image source.</summary>
    public static DataVolumeSpec DataVolume(V1Alpha1WorkspaceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new DataVolumeSpec
        {
            Source = Source(spec.Image),
            Storage = new DataVolumeStorage
            {
                Resources = new DataVolumeResources
                {
                    Requests = new Dictionary<string, string>(StringComparer.Ordinal) { ["storage"] = spec.Disk.Size },
                },
                // "" means the default class; the 1.20 apiserver refuses "" in custom resources.
                StorageClassName = string.IsNullOrEmpty(spec.Disk.StorageClassName) ? null : spec.Disk.StorageClassName,
            },
        };
    }

    /// <summary>
    /// The CDI source of <paramref name="image"/>: <c>registry.url: docker://&lt;containerDisk&gt;</c>,
    /// <c>http.url</c>, or <c>pvc {namespace, name}</c> (a clone).
    /// </summary>
    /// <exception cref="ArgumentException">Not exactly one source (validate first).</exception>
    public static DataVolumeSource Source(WorkspaceImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!string.IsNullOrEmpty(image.ContainerDisk))
        {
            return new DataVolumeSource { Registry = new UrlSource { Url = "docker://" + image.ContainerDisk } };
        }
        if (!string.IsNullOrEmpty(image.Http))
        {
            return new DataVolumeSource { Http = new UrlSource { Url = image.Http } };
        }
        if (image.Pvc is { } pvc)
        {
            return new DataVolumeSource { Pvc = new PvcSource { Namespace = pvc.Namespace, Name = pvc.Name } };
        }
        throw new ArgumentException("spec.image has no source (validate the spec before building).", nameof(image));
    }

    // GPU nodes are tainted NoSchedule (GPU operators taint them nvidia.com/gpu; pods tolerate the
    // taint keyed by their resource name): the virt-launcher pod tolerates both, or a GPU
    // workspace could never be scheduled. Null without GPUs, like the gpus list.
    // The user's tolerations, then (once) those of the GPU taints.
    private static List<V1Toleration>? Tolerations(V1Alpha1WorkspaceSpec spec) =>
        spec.Gpu is { Count: > 0 } gpu
            ? GpuPlacement.AddTolerations(PodScheduling.Tolerations(spec.Tolerations), GpuSpec.DefaultResourceName, gpu.DeviceName)
            : PodScheduling.Tolerations(spec.Tolerations);

    // Null (omitted) without GPUs: an empty list would be a field that KubeVirt never wrote.
    private static List<DomainGpu>? GpuEntries(WorkspaceGpu? gpu) =>
        gpu is { Count: > 0 }
            ? [.. Enumerable.Range(0, gpu.Count).Select(i => new DomainGpu { Name = "gpu" + i.ToString(CultureInfo.InvariantCulture), DeviceName = gpu.DeviceName })]
            : null;
}
