using k8s.Models;

namespace MedOps.Controllers.Shared;

/// <summary>
/// The transform of the one shared informer of MedOps pods (training workers and model servers):
/// keeps what the controllers read (identity, labels, owners, the node, the containers' names and
/// images, and the status: phase, conditions, container states with their exit codes and
/// termination messages) and drops the rest of the spec (env, volumes, probes, security
/// contexts), annotations and IPs, which are most of a pod's size in the cache.
/// </summary>
public static class PodCacheTrim
{
    /// <summary>Trims <paramref name="pod"/> in place.</summary>
    public static void Trim(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        pod.Metadata.Annotations = null;
        var spec = pod.Spec;
        if (spec is not null)
        {
            pod.Spec = new V1PodSpec
            {
                NodeName = spec.NodeName,
                Containers = spec.Containers?.Select(Container).ToList(),
                InitContainers = spec.InitContainers?.Select(Container).ToList(),
            };
        }
        if (pod.Status is { } status)
        {
            pod.Status = new V1PodStatus
            {
                Phase = status.Phase,
                Reason = status.Reason,
                Message = status.Message,
                Conditions = status.Conditions,
                ContainerStatuses = status.ContainerStatuses?.Select(ContainerStatus).ToList(),
                InitContainerStatuses = status.InitContainerStatuses?.Select(ContainerStatus).ToList(),
                StartTime = status.StartTime,
            };
        }
    }

    private static V1Container Container(V1Container c) => new() { Name = c.Name, Image = c.Image };

    private static V1ContainerStatus ContainerStatus(V1ContainerStatus s) => new()
    {
        Name = s.Name,
        Image = s.Image,
        Ready = s.Ready,
        Started = s.Started,
        RestartCount = s.RestartCount,
        State = s.State,
        LastState = s.LastState,
    };
}
