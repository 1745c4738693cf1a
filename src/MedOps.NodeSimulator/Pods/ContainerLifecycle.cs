using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using k8s.Models;

namespace MedOps.NodeSimulator.Pods;

/// <summary>Everything that decides the next state of one container, besides its current status.</summary>
/// <param name="Spec">The container from the pod spec.</param>
/// <param name="Behaviour">What the simulation convention asks of it.</param>
/// <param name="IsInit">An init container: completes (exit 0) at once unless told otherwise, and is restarted only on failure.</param>
/// <param name="RestartPolicy">The pod's restartPolicy: Always, OnFailure or Never.</param>
/// <param name="Now">The current time (UTC).</param>
/// <param name="BackoffBase">The first crash-loop back-off; it doubles per restart up to five minutes.</param>
/// <param name="PodUid">Makes container IDs unique per pod.</param>
internal sealed record ContainerContext(
    V1Container Spec,
    ContainerBehaviour Behaviour,
    bool IsInit,
    string RestartPolicy,
    DateTime Now,
    TimeSpan BackoffBase,
    string PodUid);

/// <summary>A container's next status, when it next needs attention, and what happened (for the log).</summary>
internal sealed record ContainerStep(V1ContainerStatus Status, DateTime? WakeAt, IReadOnlyList<string> Notes);

/// <summary>
/// The state machine of one simulated container, derived only from its current status and the
/// clock (level-based, so a restarted simulator carries on): not started → running → exited,
/// then, where the restart policy says so, CrashLoopBackOff → running again with restartCount+1.
/// </summary>
internal static class ContainerLifecycle
{
    public const string CrashLoopBackOff = "CrashLoopBackOff";
    private static readonly TimeSpan MaximumBackoff = TimeSpan.FromMinutes(5);

    /// <summary>A status for a container that has not started, waiting for <paramref name="reason"/>.</summary>
    public static V1ContainerStatus NotStarted(V1Container spec, string reason) => new()
    {
        Name = spec.Name,
        Image = spec.Image ?? string.Empty,
        ImageID = string.Empty,
        Ready = false,
        Started = false,
        RestartCount = 0,
        State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason } },
    };

    public static bool HasStarted(V1ContainerStatus? status) =>
        status?.State is { } state && (state.Running is not null || state.Terminated is not null || IsBackingOff(status));

    public static bool IsBackingOff(V1ContainerStatus? status) => status?.State?.Waiting?.Reason == CrashLoopBackOff;

    public static bool CompletedSuccessfully(V1ContainerStatus? status) => status?.State?.Terminated?.ExitCode == 0;

    /// <summary>The back-off before restart number <paramref name="restartCount"/>+1, as the kubelet doubles it.</summary>
    public static TimeSpan Backoff(TimeSpan initial, int restartCount)
    {
        var delay = initial < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : initial;
        for (var i = 0; i < restartCount && delay < MaximumBackoff; i++)
        {
            delay += delay;
        }

        return delay < MaximumBackoff ? delay : MaximumBackoff;
    }

    /// <summary>
    /// Advances the container as far as the clock allows (a simulator that was down catches up in
    /// one step) and says when to look again.
    /// </summary>
    public static ContainerStep Advance(ContainerContext context, V1ContainerStatus? current)
    {
        var status = current ?? NotStarted(context.Spec, "ContainerCreating");
        var notes = new List<string>();
        DateTime? wakeAt = null;

        // Each pass moves one state; a handful covers exit + back-off + restart in one call.
        for (var pass = 0; pass < 8; pass++)
        {
            var state = status.State ?? new V1ContainerState();
            if (state.Running is { } running)
            {
                if (context.Behaviour.ExitCode is not { } exitCode)
                {
                    if (!context.IsInit)
                    {
                        break; // runs until the pod is deleted
                    }

                    exitCode = 0; // an init container without instructions finishes at once
                }

                var startedAt = Timestamps.AsUtc(running.StartedAt ?? context.Now);
                var finishAt = startedAt + (context.Behaviour.ExitCode is null ? TimeSpan.Zero : context.Behaviour.RunTime);
                if (context.Now < finishAt)
                {
                    wakeAt = finishAt;
                    break;
                }

                status = Exited(context, status, exitCode, startedAt, finishAt);
                if (exitCode != 0)
                {
                    notes.Add($"{Kind(context)} {context.Spec.Name} exited with {exitCode}");
                }

                continue;
            }

            if (state.Terminated is { } terminated)
            {
                if (!ShouldRestart(context, terminated.ExitCode))
                {
                    break;
                }

                var backoff = Backoff(context.BackoffBase, status.RestartCount);
                status = WithState(status, new V1ContainerState
                {
                    Waiting = new V1ContainerStateWaiting
                    {
                        Reason = CrashLoopBackOff,
                        Message = string.Create(CultureInfo.InvariantCulture,
                            $"back-off {backoff.TotalSeconds:0.#}s restarting failed container={context.Spec.Name}"),
                    },
                }, ready: false, started: false);
                status.LastState = new V1ContainerState { Terminated = terminated };
                continue;
            }

            if (IsBackingOff(status))
            {
                var finishedAt = Timestamps.AsUtc(status.LastState?.Terminated?.FinishedAt ?? context.Now);
                var restartAt = finishedAt + Backoff(context.BackoffBase, status.RestartCount);
                if (context.Now < restartAt)
                {
                    wakeAt = restartAt;
                    break;
                }

                status.RestartCount++;
                status = Start(context, status);
                notes.Add($"{Kind(context)} {context.Spec.Name} restarted (restartCount {status.RestartCount})");
                continue;
            }

            // Not started yet (waiting for ContainerCreating / PodInitializing, or no state).
            status = Start(context, status);
        }

        return new ContainerStep(status, wakeAt, notes);
    }

    private static bool ShouldRestart(ContainerContext context, int exitCode) => context.RestartPolicy switch
    {
        "Never" => false,
        // Init containers of an Always pod are restarted only when they fail, as the kubelet does.
        "Always" when !context.IsInit => true,
        _ => exitCode != 0,
    };

    private static V1ContainerStatus Start(ContainerContext context, V1ContainerStatus status)
    {
        var started = WithState(status, new V1ContainerState
        {
            Running = new V1ContainerStateRunning { StartedAt = Timestamps.NextWholeSecond(context.Now) },
        }, ready: !context.IsInit && !context.Behaviour.NeverReady, started: true);
        started.ImageID = ImageId(context.Spec.Image ?? string.Empty);
        started.ContainerID = ContainerId(context.PodUid, context.Spec.Name, status.RestartCount);
        return started;
    }

    private static V1ContainerStatus Exited(ContainerContext context, V1ContainerStatus status, int exitCode, DateTime startedAt, DateTime finishAt)
    {
        var exited = WithState(status, new V1ContainerState
        {
            Terminated = new V1ContainerStateTerminated
            {
                ExitCode = exitCode,
                Reason = exitCode == 0 ? "Completed" : "Error",
                StartedAt = Timestamps.WholeSeconds(startedAt),
                FinishedAt = Timestamps.NextWholeSecond(finishAt),
                ContainerID = status.ContainerID,
            },
        }, ready: false, started: false);
        // A completed init container counts as ready, as the kubelet reports it.
        exited.Ready = context.IsInit && exitCode == 0;
        return exited;
    }

    private static V1ContainerStatus WithState(V1ContainerStatus status, V1ContainerState state, bool ready, bool started) => new()
    {
        Name = status.Name,
        Image = status.Image,
        ImageID = status.ImageID,
        ContainerID = status.ContainerID,
        RestartCount = status.RestartCount,
        LastState = status.LastState,
        State = state,
        Ready = ready,
        Started = started,
    };

    private static string Kind(ContainerContext context) => context.IsInit ? "init container" : "container";

    private static string ImageId(string image) => $"docker-pullable://{image}@sha256:{Hash(image)}";

    private static string ContainerId(string podUid, string name, int restartCount) =>
        "containerd://" + Hash(string.Create(CultureInfo.InvariantCulture, $"{podUid}/{name}/{restartCount}"));

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
