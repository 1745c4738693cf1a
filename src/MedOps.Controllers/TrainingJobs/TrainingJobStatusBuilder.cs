using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs.Builders;
using MedOps.Runtime.Status;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>Where a TrainingJob stands, as the reconciler decided it; the status follows from it.</summary>
public sealed record TrainingJobState
{
    /// <summary>The phase.</summary>
    public required TrainingJobPhase Phase { get; init; }

    /// <summary>The reason of Ready (and of Stalled, Reconciling, Running, Failed or Suspended as they apply).</summary>
    public required string Reason { get; init; }

    /// <summary>What the reason means here, for people.</summary>
    public required string Message { get; init; }

    /// <summary>A person must act (missing claim, unusable spec). A Failed job is always stalled.</summary>
    public bool Stalled { get; init; }

    /// <summary><c>status.attempt</c> (0: none started yet, then omitted).</summary>
    public int Attempt { get; init; }

    /// <summary><c>status.restarts</c>.</summary>
    public int Restarts { get; init; }

    /// <summary><c>status.workers</c>.</summary>
    public WorkerCounts Workers { get; init; } = new();

    /// <summary><c>status.startTime</c>.</summary>
    public DateTime? StartTime { get; init; }

    /// <summary><c>status.completionTime</c>.</summary>
    public DateTime? CompletionTime { get; init; }

    /// <summary><c>status.outputDigest</c>: what the output-digest pod computed.</summary>
    public string? OutputDigest { get; init; }

    /// <summary><c>status.model</c>.</summary>
    public string? Model { get; init; }
}

/// <summary>
/// Computes a TrainingJob's status from its <see cref="TrainingJobState"/>: the fields and the
/// Ready / Reconciling / Stalled / Running / Succeeded / Failed / Suspended conditions of
/// api.md. Pure, so every rule is unit-tested.
/// </summary>
public static class TrainingJobStatusBuilder
{
    /// <summary>Builds the status of <paramref name="job"/> in <paramref name="state"/>.</summary>
    public static V1Alpha1TrainingJobStatus Build(V1Alpha1TrainingJob job, TrainingJobState state, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(state);
        var generation = job.Metadata.Generation;
        var phase = state.Phase;
        var reason = state.Reason;
        var message = state.Message;
        var progress = state.Stalled || phase == TrainingJobPhase.Failed ? Progress.Stalled
            : phase == TrainingJobPhase.Succeeded ? Progress.Done
            : phase == TrainingJobPhase.Suspended ? Progress.Idle
            : Progress.InProgress;
        var conditions = Kstatus.Apply(job.Status?.Conditions, new Outcome(progress, reason, message), generation, now);
        conditions = Conditions.Set(conditions, ConditionTypes.Running, phase == TrainingJobPhase.Running, reason, message, generation, now);
        conditions = phase == TrainingJobPhase.Succeeded
            ? Conditions.Set(conditions, ConditionTypes.Succeeded, true, reason, message, generation, now)
            : Conditions.Remove(conditions, ConditionTypes.Succeeded);
        conditions = phase == TrainingJobPhase.Failed
            ? Conditions.Set(conditions, ConditionTypes.Failed, true, reason, message, generation, now)
            : Conditions.Remove(conditions, ConditionTypes.Failed);
        if (phase == TrainingJobPhase.Suspended)
        {
            conditions = Conditions.Set(conditions, ConditionTypes.Suspended, true, reason, message, generation, now);
        }
        else if (Conditions.Find(conditions, ConditionTypes.Suspended) is not null)
        {
            // As a Kubernetes Job does: the condition stays, False, so people see it was suspended once.
            conditions = Conditions.Set(conditions, ConditionTypes.Suspended, false, TrainingJobReasons.Resumed,
                "spec.suspend is false: the workers run again", generation, now);
        }

        return new V1Alpha1TrainingJobStatus
        {
            ObservedGeneration = generation,
            Phase = phase,
            Conditions = conditions,
            Attempt = state.Attempt > 0 ? state.Attempt : null,
            Restarts = state.Restarts,
            Workers = new WorkerCounts { Active = state.Workers.Active, Succeeded = state.Workers.Succeeded, Failed = state.Workers.Failed },
            StartTime = state.StartTime,
            CompletionTime = state.CompletionTime,
            OutputUri = TrainingWorkers.OutputUri(job.Spec.Output),
            OutputDigest = state.OutputDigest,
            Model = state.Model,
        };
    }

    /// <summary>
    /// The state of a job whose workers are being worked on: Restarting while an earlier
    /// attempt's pods are still in the way (or after a restart until every rank has its pod),
    /// Running once every worker runs, else Pending.
    /// </summary>
    public static (TrainingJobPhase Phase, string Reason, string Message) WorkersProgress(int workers, int attempt, int restarts, AttemptPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.AllRunning)
        {
            return (TrainingJobPhase.Running, TrainingJobReasons.WorkersRunning, $"{workers}/{workers} workers running (attempt {attempt})");
        }
        var incomplete = plan.RanksToCreate.Count + plan.BlockedRanks.Count > 0;
        if (restarts > 0 && (plan.BlockedRanks.Count > 0 || (incomplete && plan.StalePods.Count > 0)))
        {
            return (TrainingJobPhase.Restarting, TrainingJobReasons.Restarting,
                $"a worker failed; replacing the workers of the previous attempt with attempt {attempt} ({restarts} restarts so far)");
        }
        return (TrainingJobPhase.Pending, TrainingJobReasons.WorkersPending,
            $"{plan.RunningWorkers}/{workers} workers running (attempt {attempt})");
    }
}
