using k8s.Models;

namespace MedOps.NodeSimulator.Tests.Pods;

/// <summary>Pods as the scheduler leaves them: bound to a simulated node, PodScheduled=True, no other status.</summary>
internal static class PodBuilder
{
    public static readonly DateTime ScheduledAt = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    public static V1Pod Bound(string restartPolicy = "Always", IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = "p",
            NamespaceProperty = "ns",
            Uid = "uid-1",
            ResourceVersion = "10",
            CreationTimestamp = ScheduledAt,
            Labels = labels ?? new Dictionary<string, string>(),
        },
        Spec = new V1PodSpec
        {
            NodeName = "sim-cpu-0",
            RestartPolicy = restartPolicy,
            Containers = [],
        },
        Status = new V1PodStatus
        {
            Phase = "Pending",
            QosClass = "BestEffort",
            Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = ScheduledAt }],
        },
    };

    public static V1Pod WithContainer(this V1Pod pod, string name, params (string Name, string Value)[] env)
    {
        pod.Spec.Containers.Add(Container(name, env));
        return pod;
    }

    public static V1Pod WithInitContainer(this V1Pod pod, string name, params (string Name, string Value)[] env)
    {
        pod.Spec.InitContainers ??= [];
        pod.Spec.InitContainers.Add(Container(name, env));
        return pod;
    }

    public static V1Container Container(string name, params (string Name, string Value)[] env) => new()
    {
        Name = name,
        Image = $"example.org/{name}:1",
        Env = env.Select(e => new V1EnvVar { Name = e.Name, Value = e.Value }).ToList(),
    };
}
