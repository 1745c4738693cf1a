namespace MedOps.Api.V1Alpha1;

/// <summary>The condition reasons that api.md fixes; controllers add their own specific ones.</summary>
public static class ConditionReasons
{
    /// <summary>MedicalModel: the referenced TrainingJob has not succeeded yet (Pending, not Stalled).</summary>
    public const string WaitingForTrainingJob = "WaitingForTrainingJob";

    /// <summary>TrainingJob: workers failed more often than spec.backoffLimit allows.</summary>
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";

    /// <summary>TrainingJob: spec.activeDeadlineSeconds passed.</summary>
    public const string DeadlineExceeded = "DeadlineExceeded";

    /// <summary>Workspace: the cluster does not serve virtualmachines.kubevirt.io.</summary>
    public const string KubeVirtNotInstalled = "KubeVirtNotInstalled";
}
