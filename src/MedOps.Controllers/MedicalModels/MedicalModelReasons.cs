using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.MedicalModels;

/// <summary>
/// Every condition and event reason a MedicalModel is reported with, in one place: nothing in the
/// controller writes a reason as a literal. docs/api.md explains each one.
/// </summary>
public static class MedicalModelReasons
{
    // Stalled: a person must act.

    /// <summary>The model's name cannot name its Service (not a DNS-1035 label).</summary>
    public const string InvalidName = "InvalidName";

    /// <summary>Not exactly one of <c>spec.source.uri</c> and <c>spec.source.trainingJobRef</c>.</summary>
    public const string InvalidSource = "InvalidSource";

    /// <summary><c>spec.source.uri</c> (or the job's output URI) is not a model URI the operator can mount or download.</summary>
    public const string InvalidModelUri = "InvalidModelUri";

    /// <summary><c>spec.autoscaling.minReplicas</c> exceeds <c>maxReplicas</c>.</summary>
    public const string InvalidAutoscaling = "InvalidAutoscaling";

    /// <summary>cpu, memory or gpu.minMemory is not a usable quantity.</summary>
    public const string InvalidResources = ComputeResourcesValidation.InvalidResources;

    /// <summary>spec.nodeSelector or spec.tolerations would be refused by the API server in the pod.</summary>
    public const string InvalidScheduling = Shared.PodSchedulingValidation.InvalidScheduling;

    /// <summary><c>spec.source.trainingJobRef</c> names a TrainingJob that does not exist (and never produced this model).</summary>
    public const string TrainingJobNotFound = "TrainingJobNotFound";

    /// <summary><c>spec.source.trainingJobRef</c> names a TrainingJob that failed: it will never produce the model.</summary>
    public const string TrainingJobFailed = "TrainingJobFailed";

    /// <summary>The model's <c>pvc://</c> URI names a PersistentVolumeClaim that does not exist in the namespace.</summary>
    public const string ModelClaimNotFound = "ModelClaimNotFound";

    /// <summary>The Deployment made no progress within its deadline.</summary>
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";

    /// <summary>The model-initializer found content whose digest is not spec.source.digest (Stalled).</summary>
    public const string ModelDigestMismatch = "ModelDigestMismatch";

    /// <summary>The model-initializer could not download the model; the kubelet retries (Reconciling).</summary>
    public const string ModelDownloadFailed = "ModelDownloadFailed";

    /// <summary>The model-initializer found nothing at the source (Stalled).</summary>
    public const string ModelSourceNotFound = "ModelSourceNotFound";

    /// <summary>The store refused the model-initializer's credentials (Stalled).</summary>
    public const string ModelUnauthorized = "ModelUnauthorized";

    /// <summary>The model-initializer refused unsafe content, a size over its limit or a malformed source (Stalled).</summary>
    public const string ModelRefused = "ModelRefused";

    /// <summary>The model-initializer failed for another reason (Reconciling: the kubelet retries).</summary>
    public const string ModelInitializerFailed = "ModelInitializerFailed";

    /// <summary>A container's image cannot be pulled (Reconciling: the kubelet retries; Stalled for an invalid name).</summary>
    public const string ImagePullFailed = Shared.PodDiagnosis.ImagePullFailed;

    /// <summary>The server container keeps exiting (Reconciling: the kubelet restarts it).</summary>
    public const string ServerCrashLooping = "ServerCrashLooping";

    /// <summary>The kubelet cannot create a container from the pod spec (a missing ConfigMap or Secret key).</summary>
    public const string ContainerConfigError = Shared.PodDiagnosis.ContainerConfigError;

    /// <summary>The scheduler cannot place a server pod; its message says why.</summary>
    public const string Unschedulable = Shared.PodDiagnosis.UnschedulableReason;

    /// <summary>The server runs but has not passed its readiness probe.</summary>
    public const string ServerNotReady = "ServerNotReady";

    // Progress and done.

    /// <summary>The referenced TrainingJob has not succeeded yet (Pending, not Stalled).</summary>
    public const string WaitingForTrainingJob = ConditionReasons.WaitingForTrainingJob;

    /// <summary>The server Deployment is being created or rolled out.</summary>
    public const string Deploying = "Deploying";

    /// <summary>Every desired replica is ready.</summary>
    public const string Serving = "Serving";

    /// <summary><c>spec.suspend</c> is true and the replicas are gone.</summary>
    public const string Suspended = "Suspended";

    /// <summary><c>spec.suspend</c> is true and replicas are still shutting down.</summary>
    public const string Suspending = "Suspending";

    /// <summary>Some replicas of a rolled-out model are not ready.</summary>
    public const string ReplicasUnavailable = "ReplicasUnavailable";

    /// <summary>The API server refused a child object this time (retried with backoff).</summary>
    public const string ApplyFailed = "ApplyFailed";

    // Clinical models: waiting for a second person (Reconciling, never Stalled: nothing is broken).

    /// <summary>The current version of a Clinical model has no valid ModelApproval yet.</summary>
    public const string AwaitingApproval = "AwaitingApproval";

    /// <summary>The approval of the version that served was deleted: scaled to zero until a version is approved again.</summary>
    public const string ApprovalRevoked = "ApprovalRevoked";

    /// <summary>Event: an approved version of a Clinical model is now what the server runs.</summary>
    public const string VersionApproved = "VersionApproved";

    // The Available condition.

    /// <summary>At least one replica is ready.</summary>
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";

    /// <summary>No replica is ready.</summary>
    public const string NoReplicasAvailable = "NoReplicasAvailable";
}
