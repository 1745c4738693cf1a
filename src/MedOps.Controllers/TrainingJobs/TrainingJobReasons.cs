using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>
/// Every condition and event reason a TrainingJob is reported with, in one place: nothing in the
/// controller writes a reason as a literal. docs/api.md explains each one.
/// </summary>
public static class TrainingJobReasons
{
    // Stalled: a person must act.

    /// <summary>The job's name cannot name its Service or its workers' hostnames.</summary>
    public const string InvalidName = "InvalidName";

    /// <summary>cpu, memory or gpu.minMemory is not a usable quantity.</summary>
    public const string InvalidResources = ComputeResourcesValidation.InvalidResources;

    /// <summary>spec.nodeSelector or spec.tolerations would be refused by the API server in the pod.</summary>
    public const string InvalidScheduling = Shared.PodSchedulingValidation.InvalidScheduling;

    /// <summary><c>spec.dataset.claimName</c> names no PersistentVolumeClaim in the namespace.</summary>
    public const string DatasetClaimNotFound = "DatasetClaimNotFound";

    /// <summary><c>spec.output.claimName</c> names no PersistentVolumeClaim in the namespace.</summary>
    public const string OutputClaimNotFound = "OutputClaimNotFound";

    // Finished.

    /// <summary>Every worker succeeded and the output's digest is recorded (or known to be unknown).</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>
    /// The workers succeeded, but the output-digest pod could not read the output (a symlink out
    /// of it, a size over the limit): what the job wrote cannot be pinned, so it is not registered.
    /// </summary>
    public const string OutputDigestFailed = "OutputDigestFailed";

    /// <summary>The output-digest pod ended without a digest: the job succeeds, the model is registered without a pin (Warning).</summary>
    public const string OutputDigestUnknown = "OutputDigestUnknown";

    /// <summary>Workers failed more often than <c>spec.backoffLimit</c> allows.</summary>
    public const string BackoffLimitExceeded = ConditionReasons.BackoffLimitExceeded;

    /// <summary><c>spec.activeDeadlineSeconds</c> passed.</summary>
    public const string DeadlineExceeded = ConditionReasons.DeadlineExceeded;

    // Progress.

    /// <summary>Every worker succeeded; the output-digest pod is computing the digest of the output.</summary>
    public const string DigestingOutput = "DigestingOutput";

    /// <summary>Workers of the current attempt are being created or scheduled.</summary>
    public const string WorkersPending = "WorkersPending";

    /// <summary>The scheduler cannot place a worker; its message says why (Reconciling).</summary>
    public const string Unschedulable = Shared.PodDiagnosis.UnschedulableReason;

    /// <summary>A worker's image cannot be pulled (Reconciling: the kubelet retries).</summary>
    public const string ImagePullFailed = Shared.PodDiagnosis.ImagePullFailed;

    /// <summary>The kubelet cannot create a worker's container (a missing ConfigMap or Secret key).</summary>
    public const string ContainerConfigError = Shared.PodDiagnosis.ContainerConfigError;

    /// <summary>Every worker of the current attempt runs (or has finished).</summary>
    public const string WorkersRunning = "WorkersRunning";

    /// <summary>A worker failed; the next attempt is starting.</summary>
    public const string Restarting = "Restarting";

    /// <summary><c>spec.suspend</c> is true.</summary>
    public const string Suspended = "Suspended";

    /// <summary><c>spec.suspend</c> went back to false (the Suspended condition's reason afterwards).</summary>
    public const string Resumed = "Resumed";

    // Events.

    /// <summary>Event: an attempt was recorded and its workers are being created.</summary>
    public const string AttemptStarted = "AttemptStarted";

    /// <summary>Event: a worker of the current attempt failed.</summary>
    public const string WorkerFailed = "WorkerFailed";

    /// <summary>Event: the job registered (or updated) its MedicalModel.</summary>
    public const string ModelRegistered = "ModelRegistered";

    /// <summary>
    /// Ready reason and Warning event: the job succeeded, but the API server refused the MedicalModel
    /// it registers (for example a guardrail of the admission webhook); retried on the next change.
    /// </summary>
    public const string RegistrationRefused = "RegistrationRefused";

    /// <summary>Event: <c>spec.ttlSecondsAfterFinished</c> passed and the job was deleted.</summary>
    public const string TtlExpired = "TTLExpired";
}
