using System.Globalization;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs.Builders;
using MedOps.Controllers.TrainingJobs.Validation;
using MedOps.Runtime;
using MedOps.Runtime.Api;
using MedOps.Runtime.Controllers;
using MedOps.Runtime.Status;
using MedOps.Runtime.Writes;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>
/// Runs a TrainingJob: one pod per worker per attempt, whole-job restarts after a failure,
/// the deadline, suspend and resume, the TTL after finishing, and the model registration.
/// <para>
/// Every step that changes what the job is doing (a new attempt, a restart, the end) is first
/// written to the status, guarded by the job's <c>resourceVersion</c>, and only then acted on
/// (pods created or deleted). The status is therefore the durable record: an operator that
/// crashes between two steps, or a reconcile that reads a stale cache, cannot count a failure
/// twice or run two attempts at once. Pods have deterministic names, so a crash between two pod
/// creations leaves at most one pod per rank.
/// </para>
/// </summary>
public sealed class TrainingJobReconciler(
    Manager manager,
    TrainingJobInformers informers,
    ControllerSettings settings,
    TimeProvider time) : IReconciler<V1Alpha1TrainingJob>
{
    // How long to wait for the cache to show a status this process has just written.
    private static readonly TimeSpan StaleCacheDelay = TimeSpan.FromMilliseconds(200);

    // How an attempt after a suspension is started, in its event message.
    private const string Resumed = "resumed";

    private static readonly ResourceType JobType = ResourceType.For<V1Alpha1TrainingJob>();
    private static readonly ResourceType ModelType = ResourceType.For<V1Alpha1MedicalModel>();

    private readonly WrittenStatusTracker written = new();
    private readonly WorkerPods workers = new(manager.Api);

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(V1Alpha1TrainingJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Metadata.DeletionTimestamp is not null)
        {
            // Children carry owner references: the garbage collector removes them.
            return ReconcileResult.Done;
        }
        var now = Now();
        if (written.IsBehind(job, now))
        {
            return ReconcileResult.RequeueAfter(StaleCacheDelay);
        }
        var status = job.Status;
        // Every pod of the job (workers and the output-digest pod): what is deleted. The
        // attempt logic sees the workers only.
        var pods = informers.PodsOf(job);
        var workerPods = pods.Where(p => !OutputDigestPodBuilder.IsDigestPod(p)).ToList();
        var attempt = status?.Attempt ?? 0;
        var restarts = status?.Restarts ?? 0;

        if (status?.Phase is TrainingJobPhase.Succeeded or TrainingJobPhase.Failed)
        {
            return await TidyFinishedJobAsync(job, pods, now, cancellationToken);
        }
        if (pods.Any(p => TrainingWorkers.AttemptOf(p.Metadata.Labels) > attempt && now - (p.Metadata.CreationTimestamp ?? now) < WrittenStatusTracker.Limit))
        {
            // A new pod of a later attempt than the status names: the job's cache has not caught
            // up with a status write yet (of this process, or of the leader before it). Acting
            // now could start an attempt twice. Older ones cannot come from a lagging cache (a
            // restored backup without status, say): they are stale pods like any other.
            return ReconcileResult.RequeueAfter(StaleCacheDelay);
        }
        if (TrainingJobValidator.Validate(job) is { } invalid)
        {
            manager.Events.Warning(job, invalid.Reason, invalid.Message);
            await WriteStatusAsync(job, KeptState(job, TrainingJobPhase.Pending, invalid.Reason, invalid.Message) with { Stalled = true }, now, cancellationToken);
            return ReconcileResult.Terminal(invalid.Reason);
        }
        if (job.Spec.Suspend)
        {
            return await SuspendAsync(job, pods, workerPods, attempt, restarts, now, cancellationToken);
        }
        // As for a Kubernetes Job, time spent suspended does not count: a resumed job starts
        // its activeDeadlineSeconds afresh (StartAttemptAsync resets startTime).
        var resuming = status?.Phase == TrainingJobPhase.Suspended && attempt > 0;
        var deadline = resuming ? null : TrainingDeadlines.ActiveDeadline(job.Spec, status?.StartTime);
        if (deadline <= now)
        {
            var plan = AttemptPlanner.Plan(job, attempt, restarts, workerPods);
            var message = $"the job ran longer than spec.activeDeadlineSeconds ({job.Spec.ActiveDeadlineSeconds}s since {status!.StartTime:u}); its workers were deleted";
            await WriteFinalStatusAsync(job, TrainingJobPhase.Failed, TrainingJobReasons.DeadlineExceeded, message, WithoutActiveWorkers(plan.Counts), now, cancellationToken);
            manager.Events.Warning(job, TrainingJobReasons.DeadlineExceeded, message);
            await workers.DeleteAsync(pods, cancellationToken);
            return RequeueAtTtl(job.Spec, now, now);
        }

        if (resuming)
        {
            // Resumed: a fresh attempt, persisted before any pod of it exists (and before the
            // claim check, so that a claim missing at resume cannot make the job forget that it
            // resumed: its clock runs from the resume, as a Kubernetes Job's does).
            return await StartAttemptAsync(job, attempt + 1, restarts, Resumed, now, cancellationToken);
        }

        await ApplyChildrenAsync(job, cancellationToken);
        if (TrainingClaims.FindMissing(job, informers.Claims.Cache) is { } missing)
        {
            manager.Events.Warning(job, missing.Reason, missing.Message);
            await WriteStatusAsync(job, KeptState(job, TrainingJobPhase.Pending, missing.Reason, missing.Message) with { Stalled = true }, now, cancellationToken);
            // The claim watch brings the job back when the claim appears.
            return deadline is { } d ? ReconcileResult.RequeueAfter(TrainingDeadlines.Until(d, now)) : ReconcileResult.Terminal(missing.Reason);
        }

        var next = AttemptPlanner.Plan(job, attempt, restarts, workerPods);
        switch (next.Action)
        {
            case AttemptAction.StartFirstAttempt:
                return await StartAttemptAsync(job, 1, restarts, "started", now, cancellationToken);
            case AttemptAction.FailBackoffLimitExceeded:
            {
                RecordFailedWorkers(job, attempt, next, pods);
                var message = $"{WorkerFailure.DescribeRanks(job.Metadata.Name, attempt, next.FailedRanks, pods)} in attempt {attempt}, and the {job.Spec.BackoffLimit} restarts of spec.backoffLimit are used up";
                await WriteFinalStatusAsync(job, TrainingJobPhase.Failed, TrainingJobReasons.BackoffLimitExceeded, message, WithoutActiveWorkers(next.Counts), now, cancellationToken);
                manager.Events.Warning(job, TrainingJobReasons.BackoffLimitExceeded, message);
                await workers.DeleteAsync(pods, cancellationToken);
                return RequeueAtTtl(job.Spec, now, now);
            }
            case AttemptAction.Restart:
            {
                RecordFailedWorkers(job, attempt, next, pods);
                var message = $"{WorkerFailure.DescribeRanks(job.Metadata.Name, attempt, next.FailedRanks, pods)} in attempt {attempt}; restarting all workers as attempt {attempt + 1} (restart {restarts + 1} of {job.Spec.BackoffLimit})";
                var state = KeptState(job, TrainingJobPhase.Restarting, TrainingJobReasons.Restarting, message) with
                {
                    Attempt = attempt + 1,
                    Restarts = restarts + 1,
                    Workers = new WorkerCounts(),
                };
                await WriteStatusAsync(job, state, now, cancellationToken);
                manager.Events.Warning(job, TrainingJobReasons.Restarting, message);
                // The status names the new attempt now: these pods are the previous attempt's.
                await workers.DeleteAsync(pods, cancellationToken);
                return RequeueAtDeadline(deadline, now);
            }
            case AttemptAction.Succeed:
                return await DigestOutputAsync(job, attempt, next, pods, deadline, now, cancellationToken);
            default:
                return await RunWorkersAsync(job, attempt, restarts, next, pods, deadline, now, cancellationToken);
        }
    }

    // The last step, once every worker of the attempt succeeded: the output-digest pod reads what
    // they wrote and reports its digest; only then is the job Succeeded, with status.outputDigest
    // for the model it registers to pin.
    private async Task<ReconcileResult> DigestOutputAsync(
        V1Alpha1TrainingJob job, int attempt, AttemptPlan plan, IReadOnlyList<V1Pod> pods, DateTime? deadline, DateTime now, CancellationToken cancellationToken)
    {
        var digestPod = OutputDigestStep.PodOf(attempt, pods);
        // A digest pod of an earlier attempt (before a suspension, say) says nothing of this one's output.
        await workers.DeleteAsync(pods.Where(p => OutputDigestPodBuilder.IsDigestPod(p) && p != digestPod), cancellationToken);
        var outputUri = TrainingWorkers.OutputUri(job.Spec.Output);
        var succeeded = $"all {job.Spec.Workers} workers of attempt {attempt} succeeded";
        switch (OutputDigestStep.Read(digestPod))
        {
            case OutputDigestOutcome.Computed computed:
            {
                var message = $"{succeeded}; the model is at {outputUri}, digest {computed.Digest}";
                await WriteFinalStatusAsync(job, TrainingJobPhase.Succeeded, TrainingJobReasons.Succeeded, message, plan.Counts, now, cancellationToken, computed.Digest);
                manager.Events.Normal(job, TrainingJobReasons.Succeeded, message);
                // The status event brings the job back to register the model and arm the TTL.
                return ReconcileResult.Done;
            }
            case OutputDigestOutcome.Unknown unknown:
            {
                var message = $"{succeeded}; the model is at {outputUri}; its digest is unknown: {unknown.Message}";
                await WriteFinalStatusAsync(job, TrainingJobPhase.Succeeded, TrainingJobReasons.Succeeded, message, plan.Counts, now, cancellationToken);
                manager.Events.Warning(job, TrainingJobReasons.OutputDigestUnknown, $"{unknown.Message}; a registered model is not pinned to the output");
                manager.Events.Normal(job, TrainingJobReasons.Succeeded, message);
                return ReconcileResult.Done;
            }
            case OutputDigestOutcome.Failed failed:
            {
                var message = $"{succeeded}, but the digest of {outputUri} could not be computed ({failed.Reason}): {failed.Message}";
                await WriteFinalStatusAsync(job, TrainingJobPhase.Failed, TrainingJobReasons.OutputDigestFailed, message, plan.Counts, now, cancellationToken);
                manager.Events.Warning(job, TrainingJobReasons.OutputDigestFailed, message);
                // The finished-job path deletes the pods; the workers' output stays on the claim.
                return RequeueAtTtl(job.Spec, now, now);
            }
            case OutputDigestOutcome.InProgress { Problem: { } problem }:
            {
                var state = KeptState(job, TrainingJobPhase.Running, problem.Reason, $"{succeeded}; the output's digest pod does not run: {problem.Message}") with { Workers = plan.Counts };
                if (Conditions.Find(job.Status?.Conditions, ConditionTypes.Ready)?.Reason != problem.Reason)
                {
                    manager.Events.Warning(job, problem.Reason, problem.Message);
                }
                await WriteStatusAsync(job, state, now, cancellationToken);
                return RequeueAtDeadline(deadline, now);
            }
            default:
            {
                if (digestPod is null)
                {
                    // AlreadyExists (created before a crash, or not in the cache yet): its watch event brings us back.
                    await workers.CreateAsync(OutputDigestPodBuilder.Build(job, attempt, settings.ModelInitializerImage), cancellationToken);
                }
                var message = $"{succeeded}; computing the digest of {outputUri} (pod {OutputDigestPodBuilder.PodName(job.Metadata.Name)})";
                await WriteStatusAsync(job, KeptState(job, TrainingJobPhase.Running, TrainingJobReasons.DigestingOutput, message) with { Workers = plan.Counts }, now, cancellationToken);
                return RequeueAtDeadline(deadline, now);
            }
        }
    }

    private async Task<ReconcileResult> RunWorkersAsync(
        V1Alpha1TrainingJob job, int attempt, int restarts, AttemptPlan plan, IReadOnlyList<V1Pod> pods, DateTime? deadline, DateTime now, CancellationToken cancellationToken)
    {
        // Stale workers, and a digest pod left from an attempt that had succeeded before a suspension.
        await workers.DeleteAsync(plan.StalePods.Concat(pods.Where(OutputDigestPodBuilder.IsDigestPod)), cancellationToken);
        var created = 0;
        foreach (var rank in plan.RanksToCreate)
        {
            if (await workers.CreateAsync(job, rank, attempt, cancellationToken))
            {
                created++;
            }
        }
        var (phase, reason, message) = TrainingJobStatusBuilder.WorkersProgress(job.Spec.Workers, attempt, restarts, plan);
        if (phase == TrainingJobPhase.Pending && WorkerDiagnosis.FirstProblem(attempt, pods) is { } problem)
        {
            // What the pods say beats a count: "0/3 workers running" hides the scheduler's reason.
            (reason, message) = (problem.Reason, $"{problem.Message}; {message}");
            if (Conditions.Find(job.Status?.Conditions, ConditionTypes.Ready)?.Reason != problem.Reason)
            {
                manager.Events.Warning(job, problem.Reason, problem.Message);
            }
        }
        var state = KeptState(job, phase, reason, message) with
        {
            Workers = new WorkerCounts { Active = plan.Counts.Active + created, Succeeded = plan.Counts.Succeeded, Failed = plan.Counts.Failed },
        };
        await WriteStatusAsync(job, state, now, cancellationToken);
        return RequeueAtDeadline(deadline, now);
    }

    private async Task<ReconcileResult> StartAttemptAsync(V1Alpha1TrainingJob job, int attempt, int restarts, string how, DateTime now, CancellationToken cancellationToken)
    {
        var message = $"attempt {attempt} {how}: creating {job.Spec.Workers} workers";
        var state = KeptState(job, TrainingJobPhase.Pending, TrainingJobReasons.WorkersPending, message) with
        {
            Attempt = attempt,
            Restarts = restarts,
            Workers = new WorkerCounts(),
            // A resumed job's clock starts again (Kubernetes Job semantics); the first attempt
            // keeps a start time already recorded (written before a crash, say).
            StartTime = how == Resumed ? now : job.Status?.StartTime ?? now,
        };
        await WriteStatusAsync(job, state, now, cancellationToken);
        manager.Events.Normal(job, TrainingJobReasons.AttemptStarted, message);
        // After the status write, which only one reconcile wins (resourceVersion precondition):
        // the trail gets the attempt once.
        await settings.Audit.RecordAsync(job, "TrainingStarted", TrainingFacts(job, ("attempt", attempt.ToString(CultureInfo.InvariantCulture)), ("how", how)),
            now, cancellationToken);
        // The workers are created by the reconcile that the status change triggers, which reads
        // the attempt back from the cache: the attempt is durable before any pod of it exists.
        return RequeueAtDeadline(TrainingDeadlines.ActiveDeadline(job.Spec, state.StartTime), now);
    }

    private async Task<ReconcileResult> SuspendAsync(
        V1Alpha1TrainingJob job, IReadOnlyList<V1Pod> pods, IReadOnlyList<V1Pod> workerPods, int attempt, int restarts, DateTime now, CancellationToken cancellationToken)
    {
        var plan = AttemptPlanner.Plan(job, attempt, restarts, workerPods);
        var message = pods.Count == 0
            ? "spec.suspend is true: no workers run; setting it to false starts a fresh attempt"
            : $"spec.suspend is true: deleting {pods.Count} workers; setting it to false starts a fresh attempt";
        var state = KeptState(job, TrainingJobPhase.Suspended, TrainingJobReasons.Suspended, message) with
        {
            Workers = attempt > 0 ? plan.Counts : new WorkerCounts(),
        };
        if (job.Status?.Phase != TrainingJobPhase.Suspended)
        {
            manager.Events.Normal(job, TrainingJobReasons.Suspended, "spec.suspend is true: the workers are deleted");
        }
        await WriteStatusAsync(job, state, now, cancellationToken);
        await workers.DeleteAsync(pods, cancellationToken);
        return ReconcileResult.Done;
    }

    private async Task WriteFinalStatusAsync(
        V1Alpha1TrainingJob job, TrainingJobPhase phase, string reason, string message, WorkerCounts counts, DateTime now, CancellationToken cancellationToken, string? outputDigest = null)
    {
        var state = KeptState(job, phase, reason, message) with { Workers = counts, CompletionTime = now, OutputDigest = outputDigest };
        await WriteStatusAsync(job, state, now, cancellationToken);
        var facts = TrainingFacts(job, ("reason", reason), ("attempt", (job.Status?.Attempt ?? 0).ToString(CultureInfo.InvariantCulture)));
        if (outputDigest is not null)
        {
            // The trail ties the dataset claim to the exact bytes trained.
            facts["outputDigest"] = outputDigest;
        }
        await settings.Audit.RecordAsync(job, phase == TrainingJobPhase.Succeeded ? "TrainingSucceeded" : "TrainingFailed", facts, now, cancellationToken);
    }

    // Names and classification only: the dataset claim, never paths or data.
    private static Dictionary<string, string> TrainingFacts(V1Alpha1TrainingJob job, params (string Key, string Value)[] more)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["classification"] = job.Spec.DataClassification.ToString(),
            ["datasetClaim"] = job.Spec.Dataset.ClaimName,
            ["workers"] = job.Spec.Workers.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in more)
        {
            facts[key] = value;
        }
        return facts;
    }

    // A finished job: no worker may be left running after a failure, the model is registered
    // once after a success, and the TTL deletes the job.
    private async Task<ReconcileResult> TidyFinishedJobAsync(V1Alpha1TrainingJob job, IReadOnlyList<V1Pod> pods, DateTime now, CancellationToken cancellationToken)
    {
        var status = job.Status!;
        var phase = status.Phase!.Value;
        var ready = Conditions.Find(status.Conditions, phase == TrainingJobPhase.Failed ? ConditionTypes.Failed : ConditionTypes.Ready);
        var state = KeptState(job, phase, ready?.Reason ?? phase.ToString(), ready?.Message ?? phase.ToString());
        if (phase == TrainingJobPhase.Failed)
        {
            await workers.DeleteAsync(pods, cancellationToken);
        }
        else if (ModelRegistrationBuilder.Build(job) is { } model && status.Model != model.Metadata.Name)
        {
            try
            {
                await manager.Api.ApplyAsync(ModelType, model.Metadata.NamespaceProperty, model.Metadata.Name, model,
                    manager.Applier.FieldManager, force: true, cancellationToken: cancellationToken);
                var pin = model.Spec.Source.Digest is { } digest ? $", pinned to {digest}" : ", not pinned (the output's digest is unknown)";
                manager.Events.Normal(job, TrainingJobReasons.ModelRegistered,
                    $"registered MedicalModel {model.Metadata.Name} version {model.Spec.Version} from {TrainingWorkers.OutputUri(job.Spec.Output)}{pin}");
                state = state with { Model = model.Metadata.Name };
            }
            catch (KubeApiException refused) when (refused.IsRefusal)
            {
                // A guardrail (lowering an existing model's classification, say) or validation:
                // the same apply cannot pass until something changes, so it is not retried in a
                // loop; the next event of the job (an edit, a resync after a restart) tries
                // again. Said once, in the status and one Warning event.
                var message = $"the job succeeded, but registering MedicalModel {model.Metadata.Name} was refused: {refused.Message}";
                if (ready?.Reason != TrainingJobReasons.RegistrationRefused)
                {
                    manager.Events.Warning(job, TrainingJobReasons.RegistrationRefused, message);
                }
                state = KeptState(job, phase, TrainingJobReasons.RegistrationRefused, message);
            }
        }
        await WriteStatusAsync(job, state, now, cancellationToken);

        var expires = TrainingDeadlines.ExpiresAt(job.Spec, status.CompletionTime);
        if (expires is { } at && at <= now)
        {
            // The registered model has no owner reference: it stays.
            if (await manager.Api.DeleteAsync(JobType, job.Metadata.NamespaceProperty, job.Metadata.Name, uid: job.Metadata.Uid, cancellationToken: cancellationToken))
            {
                manager.Events.Normal(job, TrainingJobReasons.TtlExpired, $"deleted {job.Spec.TtlSecondsAfterFinished}s after it finished (spec.ttlSecondsAfterFinished)");
            }
            written.Forget(job);
            return ReconcileResult.Done;
        }
        return RequeueAtTtl(job.Spec, status.CompletionTime, now);
    }

    private async Task ApplyChildrenAsync(V1Alpha1TrainingJob job, CancellationToken cancellationToken)
    {
        var ns = job.Metadata.NamespaceProperty;
        var changes = new ChildChanges();
        var service = TrainingServiceBuilder.Build(job);
        await manager.Children.ApplyAsync(changes, ResourceType.For<V1Service>(), service, informers.Services.Cache.Get(ns, service.Metadata.Name), cancellationToken);
        await manager.Children.ApplyOrDeleteAsync(changes, job, ResourceType.For<V1NetworkPolicy>(), TrainingNetworkPolicyBuilder.Build(job, settings.PhiEgressCidrs),
            informers.NetworkPolicies.Cache.Get(ns, job.Metadata.Name), cancellationToken);
        manager.Events.ChildrenChanged(job, changes);
    }

    private void RecordFailedWorkers(V1Alpha1TrainingJob job, int attempt, AttemptPlan plan, IReadOnlyList<V1Pod> pods)
    {
        foreach (var rank in plan.FailedRanks)
        {
            var pod = pods.FirstOrDefault(p => p.Metadata.Name == TrainingWorkers.PodName(job.Metadata.Name, rank) && TrainingWorkers.AttemptOf(p.Metadata.Labels) == attempt);
            manager.Events.Warning(job, TrainingJobReasons.WorkerFailed, $"worker {rank} ({TrainingWorkers.PodName(job.Metadata.Name, rank)}) of attempt {attempt} {WorkerFailure.Describe(pod)}");
        }
    }

    // The state that keeps what the status already records (attempt, restarts, times, model, counts).
    private static TrainingJobState KeptState(V1Alpha1TrainingJob job, TrainingJobPhase phase, string reason, string message)
    {
        var status = job.Status;
        return new TrainingJobState
        {
            Phase = phase,
            Reason = reason,
            Message = message,
            Attempt = status?.Attempt ?? 0,
            Restarts = status?.Restarts ?? 0,
            Workers = status?.Workers ?? new WorkerCounts(),
            StartTime = status?.StartTime,
            CompletionTime = status?.CompletionTime,
            OutputDigest = status?.OutputDigest,
            Model = status?.Model,
        };
    }

    // Writes the status (only when it changed), guarded by the cached resourceVersion: a decision
    // made on a stale copy of the job fails with 409 Conflict and is retried with the newer copy,
    // instead of overwriting a newer attempt or restart count.
    private async Task WriteStatusAsync(V1Alpha1TrainingJob job, TrainingJobState state, DateTime now, CancellationToken cancellationToken)
    {
        var status = TrainingJobStatusBuilder.Build(job, state, now);
        if (!await manager.Status.UpdateAsync(job, job.Status, status, cancellationToken, onlyIfUnchanged: true))
        {
            return;
        }
        if (job.Status?.Attempt != status.Attempt || job.Status?.Phase != status.Phase)
        {
            written.Wrote(job, status.Attempt ?? 0, status.Phase, now);
        }
    }

    // The counts of an attempt whose pods are being deleted for good.
    private static WorkerCounts WithoutActiveWorkers(WorkerCounts counts) => new() { Active = 0, Succeeded = counts.Succeeded, Failed = counts.Failed };

    private static ReconcileResult RequeueAtDeadline(DateTime? deadline, DateTime now) =>
        deadline is { } d ? ReconcileResult.RequeueAfter(TrainingDeadlines.Until(d, now)) : ReconcileResult.Done;

    private static ReconcileResult RequeueAtTtl(V1Alpha1TrainingJobSpec spec, DateTime? completionTime, DateTime now) =>
        TrainingDeadlines.ExpiresAt(spec, completionTime) is { } at
            ? ReconcileResult.RequeueAfter(TrainingDeadlines.Until(at, now))
            : ReconcileResult.Done;

    // Kubernetes stores times in whole seconds: compute with what will be stored.
    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
