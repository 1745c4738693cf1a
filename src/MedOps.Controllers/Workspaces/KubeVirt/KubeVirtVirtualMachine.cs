using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>
/// KubeVirt's <c>VirtualMachine</c> (<c>kubevirt.io/v1</c>), reduced to what MedOps writes and
/// reads. KubernetesClient has no models for KubeVirt; unknown fields the server or KubeVirt add
/// are simply not read. Null members are never sent (the 1.20 apiserver refuses empty strings in
/// custom resources, so optional text is left null, not <c>""</c>).
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class KubeVirtVirtualMachine : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The API group.</summary>
    public const string KubeGroup = "kubevirt.io";

    /// <summary>The API version.</summary>
    public const string KubeApiVersion = "v1";

    /// <summary>The kind.</summary>
    public const string KubeKind = "VirtualMachine";

    /// <summary>The resource name in URLs.</summary>
    public const string KubePluralName = "virtualmachines";

    /// <inheritdoc />
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{KubeGroup}/{KubeApiVersion}";

    /// <inheritdoc />
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    /// <inheritdoc />
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The desired state.</summary>
    [JsonPropertyName("spec")]
    public VirtualMachineSpec? Spec { get; set; }

    /// <summary>What virt-controller reports.</summary>
    [JsonPropertyName("status")]
    public VirtualMachineStatus? Status { get; set; }
}

/// <summary><c>VirtualMachine.spec</c>.</summary>
public sealed class VirtualMachineSpec
{
    /// <summary><c>Always</c>, <c>Halted</c>, <c>Manual</c>, <c>RerunOnFailure</c> or <c>Once</c>.</summary>
    [JsonPropertyName("runStrategy")]
    public string? RunStrategy { get; set; }

    /// <summary>The instance template.</summary>
    [JsonPropertyName("template")]
    public VirtualMachineInstanceTemplate? Template { get; set; }

    /// <summary>DataVolumes created for (and owned by) the VM.</summary>
    [JsonPropertyName("dataVolumeTemplates")]
    public IList<DataVolumeTemplate>? DataVolumeTemplates { get; set; }
}

/// <summary><c>spec.template</c>: metadata of the virt-launcher pod and the instance spec.</summary>
public sealed class VirtualMachineInstanceTemplate
{
    /// <summary>Labels and annotations of the instance (and its pod).</summary>
    [JsonPropertyName("metadata")]
    public TemplateMetadata? Metadata { get; set; }

    /// <summary>The instance spec.</summary>
    [JsonPropertyName("spec")]
    public VirtualMachineInstanceSpec? Spec { get; set; }
}

/// <summary>
/// Template metadata: just labels. Not <see cref="V1ObjectMeta"/>, whose serialisation would
/// carry nothing wrong but invites fields KubeVirt ignores.
/// </summary>
public sealed class TemplateMetadata
{
    /// <summary>Labels.</summary>
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }
}

/// <summary><c>spec.template.spec</c>.</summary>
public sealed class VirtualMachineInstanceSpec
{
    /// <summary>The virtual hardware.</summary>
    [JsonPropertyName("domain")]
    public DomainSpec? Domain { get; set; }

    /// <summary>Volumes the disks refer to.</summary>
    [JsonPropertyName("volumes")]
    public IList<VirtualMachineVolume>? Volumes { get; set; }

    /// <summary>Tolerations of the virt-launcher pod (core/v1 Toleration, as in a pod spec).</summary>
    [JsonPropertyName("tolerations")]
    public IList<V1Toleration>? Tolerations { get; set; }
}

/// <summary><c>domain</c>: CPU, memory, resources, devices.</summary>
public sealed class DomainSpec
{
    /// <summary>CPU topology.</summary>
    [JsonPropertyName("cpu")]
    public DomainCpu? Cpu { get; set; }

    /// <summary>Guest memory.</summary>
    [JsonPropertyName("memory")]
    public DomainMemory? Memory { get; set; }

    /// <summary>The virt-launcher pod's resources.</summary>
    [JsonPropertyName("resources")]
    public DomainResources? Resources { get; set; }

    /// <summary>Disks, GPUs.</summary>
    [JsonPropertyName("devices")]
    public DomainDevices? Devices { get; set; }
}

/// <summary><c>domain.cpu</c>.</summary>
public sealed class DomainCpu
{
    /// <summary>Cores.</summary>
    [JsonPropertyName("cores")]
    public int? Cores { get; set; }
}

/// <summary><c>domain.memory</c>.</summary>
public sealed class DomainMemory
{
    /// <summary>Memory the guest sees, as a quantity.</summary>
    [JsonPropertyName("guest")]
    public string? Guest { get; set; }
}

/// <summary><c>domain.resources</c>.</summary>
public sealed class DomainResources
{
    /// <summary>Requests, quantities by resource name.</summary>
    [JsonPropertyName("requests")]
    public IDictionary<string, string>? Requests { get; set; }
}

/// <summary><c>domain.devices</c>.</summary>
public sealed class DomainDevices
{
    /// <summary>Disks.</summary>
    [JsonPropertyName("disks")]
    public IList<DomainDisk>? Disks { get; set; }

    /// <summary>Passed-through GPUs.</summary>
    [JsonPropertyName("gpus")]
    public IList<DomainGpu>? Gpus { get; set; }
}

/// <summary>A disk on a bus.</summary>
public sealed class DomainDisk
{
    /// <summary>Disk (and volume) name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Attached as a disk.</summary>
    [JsonPropertyName("disk")]
    public DiskTarget? Disk { get; set; }
}

/// <summary>The disk target.</summary>
public sealed class DiskTarget
{
    /// <summary><c>virtio</c>, <c>sata</c>, <c>scsi</c>.</summary>
    [JsonPropertyName("bus")]
    public string? Bus { get; set; }
}

/// <summary>A GPU passed through to the guest.</summary>
public sealed class DomainGpu
{
    /// <summary>Device name in the guest (<c>gpu0</c>, <c>gpu1</c>, …).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The permitted host device's resource name.</summary>
    [JsonPropertyName("deviceName")]
    public string? DeviceName { get; set; }
}

/// <summary>A volume of the instance.</summary>
public sealed class VirtualMachineVolume
{
    /// <summary>Volume name (matches a disk).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Backed by a DataVolume.</summary>
    [JsonPropertyName("dataVolume")]
    public DataVolumeVolumeSource? DataVolume { get; set; }
}

/// <summary>A volume backed by a DataVolume.</summary>
public sealed class DataVolumeVolumeSource
{
    /// <summary>The DataVolume's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

/// <summary>An entry of <c>spec.dataVolumeTemplates</c>.</summary>
public sealed class DataVolumeTemplate
{
    /// <summary>Name and labels of the DataVolume KubeVirt creates.</summary>
    [JsonPropertyName("metadata")]
    public DataVolumeTemplateMetadata? Metadata { get; set; }

    /// <summary>The DataVolume spec.</summary>
    [JsonPropertyName("spec")]
    public DataVolumeSpec? Spec { get; set; }
}

/// <summary>Metadata of a DataVolume template.</summary>
public sealed class DataVolumeTemplateMetadata
{
    /// <summary>The DataVolume's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Labels copied onto the DataVolume.</summary>
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }
}

/// <summary><c>VirtualMachine.status</c>, the fields MedOps reads.</summary>
public sealed class VirtualMachineStatus
{
    /// <summary>
    /// KubeVirt's one-word state: <c>Provisioning</c>, <c>Starting</c>, <c>Running</c>,
    /// <c>Stopping</c>, <c>Stopped</c>, <c>Paused</c>, <c>Migrating</c>, <c>Terminating</c>, or an
    /// error such as <c>ErrorUnschedulable</c>, <c>DataVolumeError</c>, <c>ErrorPvcNotFound</c>,
    /// <c>CrashLoopBackOff</c>, <c>ImagePullBackOff</c>.
    /// </summary>
    [JsonPropertyName("printableStatus")]
    public string? PrintableStatus { get; set; }

    /// <summary>The instance is up and ready.</summary>
    [JsonPropertyName("ready")]
    public bool? Ready { get; set; }

    /// <summary>An instance exists.</summary>
    [JsonPropertyName("created")]
    public bool? Created { get; set; }

    /// <summary>The VM generation virt-controller has acted on.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>Conditions (Ready, RestartRequired, …).</summary>
    [JsonPropertyName("conditions")]
    public IList<KubeVirtCondition>? Conditions { get; set; }
}

/// <summary>A KubeVirt or CDI condition.</summary>
public sealed class KubeVirtCondition
{
    /// <summary>Type.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>CamelCase reason.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>Human message.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
