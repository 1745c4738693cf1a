using k8s.Models;

namespace MedOps.NodeSimulator.Pods;

/// <summary>
/// The pod conditions a kubelet maintains (Initialized, ContainersReady, Ready, and PodScheduled
/// if the scheduler did not write it). Conditions written by others are kept, and a condition's
/// lastTransitionTime changes only when its status does.
/// </summary>
internal static class PodConditions
{
    public static void Apply(
        V1Pod pod,
        V1PodStatus status,
        bool initDone,
        IReadOnlyList<V1ContainerStatus> initStatuses,
        IReadOnlyList<V1ContainerStatus> containers,
        DateTime now)
    {
        var conditions = status.Conditions ?? [];
        status.Conditions = conditions;
        var completed = status.Phase == "Succeeded";

        if (!conditions.Any(c => c.Type == "PodScheduled"))
        {
            Set(conditions, "PodScheduled", true, null, null, now);
        }

        var incomplete = initStatuses.Where(s => !ContainerLifecycle.CompletedSuccessfully(s)).Select(s => s.Name).ToList();
        Set(conditions, "Initialized", initDone,
            initDone ? (completed ? "PodCompleted" : null) : "ContainersNotInitialized",
            initDone ? null : $"containers with incomplete status: [{string.Join(' ', incomplete)}]",
            now);

        var unready = containers.Where(c => !c.Ready).Select(c => c.Name).ToList();
        var containersReady = initDone && unready.Count == 0 && containers.Count > 0;
        var (reason, message) = containersReady
            ? ((string?)null, (string?)null)
            : completed
                ? ("PodCompleted", null)
                : ("ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]");
        Set(conditions, "ContainersReady", containersReady, reason, message, now);

        // Readiness gates: conditions that someone else must report True before the pod is Ready.
        var missingGates = (pod.Spec.ReadinessGates ?? [])
            .Where(g => !conditions.Any(c => c.Type == g.ConditionType && c.Status == "True"))
            .Select(g => g.ConditionType)
            .ToList();
        if (containersReady && missingGates.Count > 0)
        {
            Set(conditions, "Ready", false, "ReadinessGatesNotReady",
                $"corresponding condition of pod readiness gate \"{missingGates[0]}\" does not exist.", now);
        }
        else
        {
            Set(conditions, "Ready", containersReady, reason, message, now);
        }
    }

    private static void Set(IList<V1PodCondition> conditions, string type, bool isTrue, string? reason, string? message, DateTime now)
    {
        var status = isTrue ? "True" : "False";
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            conditions.Add(new V1PodCondition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message,
                LastTransitionTime = Timestamps.WholeSeconds(now),
            });
            return;
        }

        if (existing.Status != status)
        {
            existing.Status = status;
            existing.LastTransitionTime = Timestamps.WholeSeconds(now);
        }

        existing.Reason = reason;
        existing.Message = message;
    }
}
