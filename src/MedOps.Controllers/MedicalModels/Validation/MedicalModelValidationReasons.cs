namespace MedOps.Controllers.MedicalModels.Validation;

/// <summary>
/// The reasons a MedicalModel is Stalled: those of <see cref="MedicalModelValidator"/>, and the
/// missing dependencies the reconciler finds (a TrainingJob, a claim).
/// </summary>
public static class MedicalModelValidationReasons
{
    /// <summary>The model's name cannot name its Service (not a DNS-1035 label).</summary>
    public const string InvalidName = "InvalidName";

    /// <summary>Not exactly one of <c>spec.source.uri</c> and <c>spec.source.trainingJobRef</c>.</summary>
    public const string InvalidSource = "InvalidSource";

    /// <summary><c>spec.source.uri</c> is not a model URI the operator can mount or download.</summary>
    public const string InvalidModelUri = "InvalidModelUri";

    /// <summary><c>spec.autoscaling.minReplicas</c> exceeds <c>maxReplicas</c>.</summary>
    public const string InvalidAutoscaling = "InvalidAutoscaling";

    /// <summary>cpu, memory or gpu.minMemory is not a usable quantity.</summary>
    public const string InvalidResources = "InvalidResources";

    /// <summary><c>spec.source.trainingJobRef</c> names a TrainingJob that does not exist (and never produced this model).</summary>
    public const string TrainingJobNotFound = "TrainingJobNotFound";

    /// <summary><c>spec.source.trainingJobRef</c> names a TrainingJob that failed: it will never produce the model.</summary>
    public const string TrainingJobFailed = "TrainingJobFailed";

    /// <summary>The model's <c>pvc://</c> URI names a PersistentVolumeClaim that does not exist in the namespace.</summary>
    public const string ModelClaimNotFound = "ModelClaimNotFound";
}
