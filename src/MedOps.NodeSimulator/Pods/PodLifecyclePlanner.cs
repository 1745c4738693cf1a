using k8s.Models;
using MedOps.NodeSimulator.Kube;

namespace MedOps.NodeSimulator.Pods;

/// <summary>What to do with a pod now.</summary>
internal enum PodAction
{
    /// <summary>The status is already what it should be.</summary>
    None,

    /// <summary>Write <see cref="PodDecision.Status"/> through the status subresource.</summary>
    WriteStatus,

    /// <summary>The pod is terminating and no kubelet will finish it: delete it with grace period 0.</summary>
    ForceDelete,
}

/// <summary>The planner's answer: the action, the new status, when to look again, and a log line.</summary>
internal sealed record PodDecision(PodAction Action, V1PodStatus? Status, DateTime? WakeAt, string? Summary);

/// <summary>Where a pod runs: its node and the addresses it gets when it starts.</summary>
internal sealed record PodPlacement(string NodeName, string HostIp, string PodIp);

/// <summary>
/// The kubelet's job in one pure function: given a pod bound to a simulated node and the time,
/// the status it should have now and when it next changes. Level-based (nothing but the pod and
/// the clock), so a restarted simulator continues where the old one stopped.
/// </summary>
internal static class PodLifecyclePlanner
{
    public static PodDecision Plan(V1Pod pod, DateTime now, TimeSpan startupDelay, PodPlacement placement)
    {
        now = Timestamps.AsUtc(now);
        if (pod.Metadata?.DeletionTimestamp is not null)
        {
            return new PodDecision(PodAction.ForceDelete, null, null, "terminating: force-deleted");
        }

        var current = pod.Status ?? new V1PodStatus();
        if (current.Phase is "Succeeded" or "Failed")
        {
            return new PodDecision(PodAction.None, null, null, null);
        }

        var status = JsonCopy.Clone(current);
        if (status.StartTime is null)
        {
            // Image pulls and sandbox creation take a moment on a real node: wait the startup
            // delay from the moment the scheduler bound the pod.
            var startAt = ScheduledAt(pod, now) + startupDelay;
            if (now < startAt)
            {
                return new PodDecision(PodAction.None, null, startAt, null);
            }

            status.StartTime = Timestamps.WholeSeconds(now);
            status.HostIP = placement.HostIp;
            if (status.PodIP is null)
            {
                status.PodIP = pod.Spec.HostNetwork == true ? placement.HostIp : placement.PodIp;
                status.PodIPs = [new V1PodIP { Ip = status.PodIP }];
            }
        }

        var restartPolicy = pod.Spec.RestartPolicy ?? "Always";
        var notes = new List<string>();
        DateTime? wakeAt = null;
        ContainerContext Context(V1Container spec, bool isInit) => new(
            spec, ContainerBehaviour.For(spec, pod.Metadata?.Labels), isInit, restartPolicy, now, startupDelay, pod.Metadata?.Uid ?? string.Empty);

        // Init containers run one after another; the first that has not completed blocks the rest.
        var initSpecs = pod.Spec.InitContainers ?? [];
        var initStatuses = new List<V1ContainerStatus>();
        var initDone = true;
        var initFailed = false;
        foreach (var spec in initSpecs)
        {
            var existing = status.InitContainerStatuses?.FirstOrDefault(s => s.Name == spec.Name);
            if (!initDone || ContainerLifecycle.CompletedSuccessfully(existing))
            {
                initStatuses.Add(existing ?? ContainerLifecycle.NotStarted(spec, "PodInitializing"));
                continue;
            }

            var step = ContainerLifecycle.Advance(Context(spec, isInit: true), existing);
            initStatuses.Add(step.Status);
            notes.AddRange(step.Notes);
            wakeAt = Timestamps.Earliest(wakeAt, step.WakeAt);
            if (!ContainerLifecycle.CompletedSuccessfully(step.Status))
            {
                initDone = false;
                // Exited non-zero and not being restarted: restartPolicy Never fails the pod.
                initFailed = step.Status.State?.Terminated is not null;
            }
        }

        var mainStatuses = new List<V1ContainerStatus>();
        foreach (var spec in pod.Spec.Containers ?? [])
        {
            var existing = status.ContainerStatuses?.FirstOrDefault(s => s.Name == spec.Name);
            if (!initDone)
            {
                mainStatuses.Add(existing ?? ContainerLifecycle.NotStarted(spec, initSpecs.Count > 0 ? "PodInitializing" : "ContainerCreating"));
                continue;
            }

            var step = ContainerLifecycle.Advance(Context(spec, isInit: false), existing);
            mainStatuses.Add(step.Status);
            notes.AddRange(step.Notes);
            wakeAt = Timestamps.Earliest(wakeAt, step.WakeAt);
        }

        status.InitContainerStatuses = initSpecs.Count > 0 ? initStatuses : null;
        status.ContainerStatuses = mainStatuses;
        status.Phase = Phase(initDone, initFailed, mainStatuses);
        PodConditions.Apply(pod, status, initDone, initStatuses, mainStatuses, now);

        if (JsonCopy.SameJson(current, status))
        {
            return new PodDecision(PodAction.None, null, wakeAt, null);
        }

        return new PodDecision(PodAction.WriteStatus, status, wakeAt, Summarise(current, status, placement, notes));
    }

    private static DateTime ScheduledAt(V1Pod pod, DateTime now)
    {
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "True");
        var at = scheduled?.LastTransitionTime ?? pod.Metadata?.CreationTimestamp ?? now;
        return Timestamps.AsUtc(at);
    }

    private static string Phase(bool initDone, bool initFailed, IReadOnlyList<V1ContainerStatus> containers)
    {
        if (initFailed)
        {
            return "Failed";
        }

        if (!initDone)
        {
            return "Pending";
        }

        // A container that is restarting is still "running" as far as the phase goes.
        if (containers.Count == 0 || containers.Any(c => c.State?.Terminated is null))
        {
            return "Running";
        }

        return containers.All(c => c.State!.Terminated!.ExitCode == 0) ? "Succeeded" : "Failed";
    }

    private static string? Summarise(V1PodStatus before, V1PodStatus after, PodPlacement placement, List<string> notes)
    {
        var parts = new List<string>();
        var oldPhase = before.Phase ?? "Pending";
        if (oldPhase != after.Phase)
        {
            parts.Add(after.Phase == "Running"
                ? $"{oldPhase} -> Running on {placement.NodeName} ({after.PodIP})"
                : $"{oldPhase} -> {after.Phase}");
        }

        parts.AddRange(notes);
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
