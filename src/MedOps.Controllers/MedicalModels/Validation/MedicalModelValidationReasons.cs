namespace MedOps.Controllers.MedicalModels.Validation;

/// <summary>The condition reasons of <see cref="MedicalModelValidator"/>.</summary>
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
}
