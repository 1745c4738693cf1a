namespace MedOps.Controllers.Admission;

/// <summary>
/// The PHI guardrails from the operator's configuration file (<c>guardrails.*</c>). The defaults
/// are the safe ones: PHI models read only from claims in the cluster, and PHI disks and
/// training outputs are refused until the administrator names the encrypted StorageClasses.
/// </summary>
public sealed record GuardrailSettings
{
    /// <summary>The built-in <see cref="PhiSourcePrefixes"/>: claims in the cluster only.</summary>
    public static readonly IReadOnlyList<string> DefaultPhiSourcePrefixes = ["pvc://"];

    /// <summary>
    /// <c>guardrails.phiSourcePrefixes</c>: the model source URIs PHI and LimitedDataSet models may
    /// use start with one of these (for example <c>pvc://</c>, <c>s3://hospital-phi-</c>).
    /// </summary>
    public IReadOnlyList<string> PhiSourcePrefixes { get; init; } = DefaultPhiSourcePrefixes;

    /// <summary>
    /// <c>guardrails.phiStorageClasses</c>: the StorageClasses (the encrypted ones) that PHI and
    /// LimitedDataSet workspace disks and training output claims must use.
    /// </summary>
    public IReadOnlyList<string> PhiStorageClasses { get; init; } = [];
}
