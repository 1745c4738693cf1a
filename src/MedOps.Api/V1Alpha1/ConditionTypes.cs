namespace MedOps.Api.V1Alpha1;

/// <summary>
/// The condition types of the three kinds (api.md, status contract). Ready, Reconciling and
/// Stalled are the ones kstatus and Argo CD read; the others are kind-specific.
/// </summary>
public static class ConditionTypes
{
    /// <summary>All kinds: the desired state is reached.</summary>
    public const string Ready = "Ready";

    /// <summary>All kinds: the operator is still working towards the spec.</summary>
    public const string Reconciling = "Reconciling";

    /// <summary>All kinds: progress needs a person; same reason as Ready.</summary>
    public const string Stalled = "Stalled";

    /// <summary>MedicalModel: at least one replica is ready.</summary>
    public const string Available = "Available";

    /// <summary>TrainingJob: the workers of the current attempt are running.</summary>
    public const string Running = "Running";

    /// <summary>TrainingJob: every worker finished successfully.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>TrainingJob: the job failed for good.</summary>
    public const string Failed = "Failed";

    /// <summary>TrainingJob: the workers are stopped because spec.suspend is true.</summary>
    public const string Suspended = "Suspended";
}
