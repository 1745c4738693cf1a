namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>A custom resource type as the generic custom-object API addresses it.</summary>
internal sealed record CustomResourceType(string Group, string Version, string Plural, string Kind)
{
    public string ApiVersion => $"{Group}/{Version}";
}

/// <summary>The KubeVirt and CDI types the simulator plays.</summary>
internal static class KubeVirtApi
{
    public static readonly CustomResourceType VirtualMachines = new("kubevirt.io", "v1", "virtualmachines", "VirtualMachine");

    public static readonly CustomResourceType DataVolumes = new("cdi.kubevirt.io", "v1beta1", "datavolumes", "DataVolume");
}
