using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs.Builders;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>What to do next with the workers of a running (not suspended, not finished) job.</summary>
public enum AttemptAction
{
    /// <summary>No attempt has started: persist attempt 1 (and the start time) first.</summary>
    StartFirstAttempt,

    /// <summary>Some ranks of the current attempt have no pod: create those whose name is free.</summary>
    CreateWorkers,

    /// <summary>Every rank has its pod and none has failed: wait for them.</summary>
    Wait,

    /// <summary>A worker of the current attempt failed and restarts are left: persist the next attempt.</summary>
    Restart,

    /// <summary>A worker of the current attempt failed and no restart is left: the job failed.</summary>
    FailBackoffLimitExceeded,

    /// <summary>Every worker of the current attempt succeeded.</summary>
    Succeed,
}

/// <summary>The decision about one job's workers, with what it was based on.</summary>
public sealed record AttemptPlan
{
    /// <summary>The next action.</summary>
    public required AttemptAction Action { get; init; }

    /// <summary>Worker counts of the current attempt.</summary>
    public required WorkerCounts Counts { get; init; }

    /// <summary>Ranks of the current attempt without a pod whose pod name is free: create these.</summary>
    public IReadOnlyList<int> RanksToCreate { get; init; } = [];

    /// <summary>Ranks of the current attempt without a pod, whose name a stale pod still holds.</summary>
    public IReadOnlyList<int> BlockedRanks { get; init; } = [];

    /// <summary>Pods of earlier attempts (or foreign names and ranks beyond the worker count): delete these.</summary>
    public IReadOnlyList<V1Pod> StalePods { get; init; } = [];

    /// <summary>Ranks of the current attempt whose pod failed.</summary>
    public IReadOnlyList<int> FailedRanks { get; init; } = [];

    /// <summary>Workers of the current attempt whose pod is Running.</summary>
    public int RunningWorkers { get; init; }

    /// <summary>True when every rank of the current attempt has a pod that runs or has succeeded.</summary>
    public bool AllRunning { get; init; }
}

/// <summary>
/// The attempt logic, pure: from the job's pods (as the cache has them) and the durable
/// <c>status.attempt</c>, what happens next. Failure is judged only from pods labelled with the
/// current attempt, so a failed pod of an earlier attempt (still terminating, or in a stale
/// cache) can never count twice: each restart is persisted as <c>attempt + 1</c> before any pod
/// of the new attempt exists.
/// </summary>
public static class AttemptPlanner
{
    /// <summary>Plans the next step for <paramref name="job"/> at attempt <paramref name="attempt"/> (0: none started).</summary>
    public static AttemptPlan Plan(V1Alpha1TrainingJob job, int attempt, int restarts, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(pods);
        var name = job.Metadata.Name;
        var workers = Math.Max(1, job.Spec.Workers);
        var current = new Dictionary<int, V1Pod>();
        var stale = new List<V1Pod>();
        foreach (var pod in pods)
        {
            var rank = TrainingWorkers.RankOf(name, pod.Metadata.Name);
            if (attempt > 0 && rank is { } r && r < workers && TrainingWorkers.AttemptOf(pod.Metadata.Labels) == attempt)
            {
                current[r] = pod;
            }
            else
            {
                stale.Add(pod);
            }
        }
        var occupied = stale.Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var counts = new WorkerCounts
        {
            Active = current.Values.Count(p => !IsSucceeded(p) && !IsFailed(p)),
            Succeeded = current.Values.Count(IsSucceeded),
            Failed = current.Values.Count(IsFailed),
        };
        var failed = current.Where(p => IsFailed(p.Value)).Select(p => p.Key).Order().ToList();
        var missing = Enumerable.Range(0, workers).Where(r => !current.ContainsKey(r)).ToList();
        var plan = new AttemptPlan
        {
            Action = AttemptAction.Wait,
            Counts = counts,
            StalePods = stale,
            FailedRanks = failed,
            RanksToCreate = [.. missing.Where(r => !occupied.Contains(TrainingWorkers.PodName(name, r)))],
            BlockedRanks = [.. missing.Where(r => occupied.Contains(TrainingWorkers.PodName(name, r)))],
            RunningWorkers = current.Values.Count(IsRunning),
            AllRunning = missing.Count == 0 && current.Values.All(p => IsRunning(p) || IsSucceeded(p)),
        };
        if (attempt <= 0)
        {
            return plan with { Action = AttemptAction.StartFirstAttempt, RanksToCreate = [], BlockedRanks = [] };
        }
        if (failed.Count > 0)
        {
            var action = restarts >= job.Spec.BackoffLimit ? AttemptAction.FailBackoffLimitExceeded : AttemptAction.Restart;
            return plan with { Action = action, RanksToCreate = [] };
        }
        if (missing.Count == 0 && counts.Succeeded == workers)
        {
            return plan with { Action = AttemptAction.Succeed };
        }
        return plan with { Action = missing.Count > 0 ? AttemptAction.CreateWorkers : AttemptAction.Wait };
    }

    /// <summary>The pod finished with every container exiting 0.</summary>
    public static bool IsSucceeded(V1Pod pod) => pod?.Status?.Phase == "Succeeded";

    /// <summary>The pod failed (a container exited non-zero, or it was evicted).</summary>
    public static bool IsFailed(V1Pod pod) => pod?.Status?.Phase == "Failed";

    /// <summary>The pod runs and is not being deleted.</summary>
    public static bool IsRunning(V1Pod pod) => pod?.Status?.Phase == "Running" && pod.Metadata.DeletionTimestamp is null;
}
