using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Runtime.Status;

namespace MedOps.Controllers.MedicalModels;

/// <summary>What a reconcile found, from which the status follows.</summary>
public sealed record ModelObservation
{
    /// <summary>The model as read from the cache.</summary>
    public required V1Alpha1MedicalModel Model { get; init; }

    /// <summary>A problem a person must fix (reason, message): Stalled.</summary>
    public Problem? Problem { get; init; }

    /// <summary>How the source resolved, when the spec was valid.</summary>
    public SourceResolution? Source { get; init; }

    /// <summary>A child write the apiserver refused this time (retried with backoff), if any.</summary>
    public string? ApplyError { get; init; }

    /// <summary>What the model's approvals allowed (Clinical models); null when the gate was not reached.</summary>
    public Approvals.ApprovalDecision? Approval { get; init; }

    /// <summary>The Deployment as it is now (after the apply), when there is one.</summary>
    public V1Deployment? Deployment { get; init; }

    /// <summary>Why the server pods do not serve, when they say (<see cref="ServingDiagnosis"/>).</summary>
    public PodProblem? Serving { get; init; }

    /// <summary>The digest a server pod's model-initializer verified or computed, when one did.</summary>
    public string? ModelDigest { get; init; }

    /// <summary>The time to stamp on changed conditions.</summary>
    public DateTime Now { get; init; }
}

/// <summary>
/// Computes a MedicalModel's status from an observation: phase, replicas, endpoint, lineage and
/// the Ready / Reconciling / Stalled / Available conditions of api.md. Pure, so every rule is
/// unit-tested.
/// </summary>
public static class MedicalModelStatusBuilder
{
    /// <summary>Builds the status for the observation.</summary>
    public static V1Alpha1MedicalModelStatus Build(ModelObservation o)
    {
        var model = o.Model;
        var generation = model.Metadata.Generation;
        var previous = model.Status;
        var status = new V1Alpha1MedicalModelStatus
        {
            ObservedGeneration = generation,
            Endpoint = $"http://{model.Metadata.Name}.{model.Metadata.NamespaceProperty}.svc:{model.Spec.Runtime.Port}",
            ModelUri = (o.Source as SourceResolution.Resolved)?.Uri ?? previous?.ModelUri,
            Lineage = o.Source switch
            {
                SourceResolution.Resolved r => r.Lineage,
                SourceResolution.Waiting w => w.Lineage,
                _ => previous?.Lineage,
            },
            Replicas = o.Deployment?.Status?.Replicas ?? 0,
            ReadyReplicas = o.Deployment?.Status?.ReadyReplicas ?? 0,
            // Until the gate is reached again (a problem, a job still running), the last word stands.
            // A refused apply did not change what serves: the approval state moves only with it.
            Approval = o.Approval is { } gate && o.ApplyError is null ? gate.Status : previous?.Approval,
            // What a pod last verified stands while no pod says otherwise (a scale to zero, a restart).
            ModelDigest = o.ModelDigest ?? previous?.ModelDigest,
        };
        var conditions = previous?.Conditions;

        if (o.Problem is { } problem)
        {
            status.Phase = MedicalModelPhase.Failed;
            conditions = Kstatus.Apply(conditions, Outcome.Stalled(problem.Reason, problem.Message), generation, o.Now);
            status.Conditions = Available(conditions, status.ReadyReplicas ?? 0, generation, o.Now);
            return status;
        }

        if (o.Source is SourceResolution.Waiting waiting)
        {
            status.Phase = MedicalModelPhase.Pending;
            conditions = Kstatus.Apply(conditions, Outcome.InProgress(MedicalModelReasons.WaitingForTrainingJob, waiting.Message), generation, o.Now);
            status.Conditions = Available(conditions, 0, generation, o.Now);
            return status;
        }

        if (o.Approval is { Action: not Approvals.ApprovalAction.Apply } waitingForApproval && o.ApplyError is null)
        {
            // Waiting for a person is neither failed nor healthy: Reconciling, never Stalled, so
            // kstatus and Argo CD show it as in progress.
            status.Phase = MedicalModelPhase.AwaitingApproval;
            conditions = Kstatus.Apply(conditions,
                Outcome.InProgress(waitingForApproval.Reason ?? MedicalModelReasons.AwaitingApproval, waitingForApproval.Message ?? ""), generation, o.Now);
            status.Conditions = Available(conditions, status.ReadyReplicas ?? 0, generation, o.Now);
            return status;
        }

        var (phase, reason, message) = Rollout(model, o.Deployment, previous?.Phase);
        if (o.ApplyError is { } applyError)
        {
            // Transient (retried with backoff), so not Stalled; but visible, not silent.
            (phase, reason, message) = (phase == MedicalModelPhase.Ready ? MedicalModelPhase.Degraded : phase, MedicalModelReasons.ApplyFailed, applyError);
        }
        if (o.ApplyError is null && o.Serving is { } serving && phase is MedicalModelPhase.Deploying or MedicalModelPhase.Degraded or MedicalModelPhase.Failed)
        {
            // The pods say why the rollout does not finish: say it in their words. A cause only a
            // person can fix fails the model (Stalled); the others the kubelet retries.
            (phase, reason, message) = serving.Stalled
                ? (MedicalModelPhase.Failed, serving.Reason, serving.Message)
                : (phase, serving.Reason, phase == MedicalModelPhase.Failed ? $"{message}; {serving.Message}" : serving.Message);
        }
        status.Phase = phase;
        var done = o.ApplyError is null && phase is MedicalModelPhase.Ready or MedicalModelPhase.Suspended;
        // A rollout past its progress deadline (a bad image, an impossible placement) needs a
        // person: without Stalled, kstatus (Flux, kpt) would take "not reconciling" for done.
        var progress = done ? Progress.Done : phase == MedicalModelPhase.Failed ? Progress.Stalled : Progress.InProgress;
        conditions = Kstatus.Apply(conditions, new Outcome(progress, reason, message), generation, o.Now);
        status.Conditions = Available(conditions, status.ReadyReplicas ?? 0, generation, o.Now);
        return status;
    }

    // Where the Deployment's rollout stands, in the model's words.
    private static (MedicalModelPhase Phase, string Reason, string Message) Rollout(V1Alpha1MedicalModel model, V1Deployment? deployment, MedicalModelPhase? previous)
    {
        var spec = model.Spec;
        var ds = deployment?.Status;
        var ready = ds?.ReadyReplicas ?? 0;
        var current = ds?.Replicas ?? 0;
        if (deployment is null)
        {
            return (MedicalModelPhase.Deploying, MedicalModelReasons.Deploying, "creating the model server Deployment");
        }
        var observed = (ds?.ObservedGeneration ?? 0) >= (deployment.Metadata.Generation ?? 0);
        if (spec.Suspend)
        {
            return observed && current == 0
                ? (MedicalModelPhase.Suspended, MedicalModelReasons.Suspended, "suspended: scaled to zero, GPUs released")
                : (MedicalModelPhase.Deploying, MedicalModelReasons.Suspending, $"scaling to zero ({current} replicas left)");
        }
        var stuck = ds?.Conditions?.FirstOrDefault(c => c.Type == "Progressing" && c.Status == "False" && c.Reason == MedicalModelReasons.ProgressDeadlineExceeded);
        if (stuck is not null)
        {
            return (MedicalModelPhase.Failed, MedicalModelReasons.ProgressDeadlineExceeded, $"the model server rollout made no progress: {stuck.Message}");
        }
        // With autoscaling the HPA owns the replica count, and a new Deployment starts at the
        // API default of 1 until the HPA first scales it: the floor is minReplicas either way.
        var desired = spec.Autoscaling is { } autoscaling
            ? Math.Max(deployment.Spec?.Replicas ?? 1, autoscaling.MinReplicas)
            : deployment.Spec?.Replicas ?? spec.Replicas;
        var updated = ds?.UpdatedReplicas ?? 0;
        var rolledOut = observed && updated >= desired && current == updated;
        if (rolledOut && ready >= desired && desired >= 1)
        {
            return (MedicalModelPhase.Ready, MedicalModelReasons.Serving, $"{ready}/{desired} replicas ready");
        }
        if (ready >= 1 && rolledOut && previous is MedicalModelPhase.Ready or MedicalModelPhase.Degraded)
        {
            return (MedicalModelPhase.Degraded, MedicalModelReasons.ReplicasUnavailable, $"only {ready}/{desired} replicas ready");
        }
        return (MedicalModelPhase.Deploying, MedicalModelReasons.Deploying, $"{ready}/{desired} replicas ready, {updated} up to date");
    }

    private static List<V1Condition> Available(IEnumerable<V1Condition>? conditions, int ready, long? generation, DateTime now) =>
        Conditions.Set(conditions, ConditionTypes.Available, ready >= 1,
            ready >= 1 ? MedicalModelReasons.MinimumReplicasAvailable : MedicalModelReasons.NoReplicasAvailable,
            ready >= 1 ? $"{ready} replicas ready" : "no replica is ready", generation, now);
}
