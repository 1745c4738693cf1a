using k8s.Models;

namespace MedOps.Controllers.Shared;

/// <summary>
/// Why a pod does not run, read from the pod itself: what a person would otherwise learn from
/// <c>kubectl describe pod</c>. <paramref name="Stalled"/> problems need a person (a wrong digest,
/// an invalid image name); the others are retried by the kubelet or the scheduler and show as
/// Reconciling.
/// </summary>
/// <param name="Reason">A CamelCase reason from the kind's catalogue.</param>
/// <param name="Message">What is wrong, naming the pod and container.</param>
/// <param name="Stalled">True when only a change of the spec or the source can fix it.</param>
public sealed record PodProblem(string Reason, string Message, bool Stalled);

/// <summary>
/// The checks of a pod that every kind shares (model servers, training workers): the
/// scheduler's refusal, an image that cannot be pulled, a container the kubelet cannot create.
/// Pure; they read only what <see cref="PodCacheTrim"/> keeps.
/// </summary>
public static class PodDiagnosis
{
    /// <summary>The scheduler cannot place the pod (its condition <c>PodScheduled=False</c>, <c>Unschedulable</c>).</summary>
    public const string UnschedulableReason = "Unschedulable";

    /// <summary>A container's image cannot be pulled.</summary>
    public const string ImagePullFailed = nameof(ImagePullFailed);

    /// <summary>The kubelet cannot create a container from the pod spec (a missing ConfigMap or Secret key).</summary>
    public const string ContainerConfigError = nameof(ContainerConfigError);

    /// <summary>The longest piece of a kubelet or scheduler message quoted.</summary>
    public const int MaxQuoted = 300;

    private static readonly string[] PullReasons = ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"];

    /// <summary>"pod p cannot be scheduled: 0/5 nodes are available: …", or null when it is placed or still waiting.</summary>
    public static PodProblem? Unscheduled(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable") is { } condition
            ? new PodProblem(UnschedulableReason, $"pod {pod.Metadata?.Name} cannot be scheduled: {Quote(condition.Message, MaxQuoted) ?? "no node fits it"}", false)
            : null;
    }

    /// <summary>The image of <paramref name="status"/>'s container cannot be pulled (stalled for an invalid name).</summary>
    public static PodProblem? ImagePull(V1Pod pod, V1ContainerStatus status)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(status);
        var waiting = status.State?.Waiting;
        if (waiting?.Reason is not { } reason || !PullReasons.Contains(reason, StringComparer.Ordinal))
        {
            return null;
        }
        var name = pod.Metadata?.Name;
        var image = (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []).FirstOrDefault(c => c.Name == status.Name)?.Image ?? status.Image;
        return new PodProblem(ImagePullFailed,
            $"container {status.Name} of pod {name} cannot get its image {image} ({reason}): {Quote(waiting.Message, MaxQuoted) ?? "see kubectl describe pod " + name}",
            reason == "InvalidImageName");
    }

    /// <summary>The kubelet cannot create <paramref name="status"/>'s container.</summary>
    public static PodProblem? ConfigError(V1Pod pod, V1ContainerStatus status)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(status);
        var waiting = status.State?.Waiting;
        return waiting?.Reason is "CreateContainerConfigError" or "CreateContainerError"
            ? new PodProblem(ContainerConfigError, $"container {status.Name} of pod {pod.Metadata?.Name} cannot be created: {Quote(waiting.Message, MaxQuoted) ?? waiting.Reason}", false)
            : null;
    }

    /// <summary>The first of the checks above that finds a problem, over every container of the pod.</summary>
    public static PodProblem? Diagnose(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (Unscheduled(pod) is { } unscheduled)
        {
            return unscheduled;
        }
        var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
        return statuses.Select(s => ImagePull(pod, s) ?? ConfigError(pod, s)).FirstOrDefault(p => p is not null);
    }

    /// <summary>One line, trimmed and cut at <paramref name="max"/> characters; null when there is nothing to say.</summary>
    public static string? Quote(string? message, int max)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }
        var line = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= max ? line : line[..max] + "…";
    }
}
