using k8s.Models;
using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Shared;

/// <summary>
/// CPU and memory of a container from <see cref="ComputeResources"/>: requests equal limits, so
/// the pod gets Guaranteed QoS (api.md). GPUs are added by <see cref="GpuPlacement"/>.
/// </summary>
public static class ComputeResourcesBuilder
{
    /// <summary>
    /// <c>requests</c> and <c>limits</c> with the user's <c>cpu</c> and <c>memory</c>. The
    /// quantities are not converted: the client writes them in the API server's canonical
    /// spelling (<c>0.5</c> goes out as <c>500m</c>, as the server would store it anyway), so the
    /// applied object compares equal to the stored one.
    /// </summary>
    /// <exception cref="ArgumentException">cpu or memory is not a quantity (validate first).</exception>
    public static V1ResourceRequirements Build(ComputeResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return new V1ResourceRequirements
        {
            Limits = CpuAndMemory(resources),
            Requests = CpuAndMemory(resources),
        };
    }

    private static Dictionary<string, ResourceQuantity> CpuAndMemory(ComputeResources resources) =>
        new(StringComparer.Ordinal)
        {
            ["cpu"] = KubernetesQuantity.Parse(resources.Cpu, "resources.cpu"),
            ["memory"] = KubernetesQuantity.Parse(resources.Memory, "resources.memory"),
        };
}
