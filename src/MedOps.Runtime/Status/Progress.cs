namespace MedOps.Runtime.Status;

/// <summary>Where a resource stands, in the terms kstatus (Flux, <c>kubectl wait</c>) and Argo CD read.</summary>
public enum Progress
{
    /// <summary>The desired state is reached: Ready=True, neither Reconciling nor Stalled.</summary>
    Done,

    /// <summary>The operator is working towards the spec: Ready=False, Reconciling=True.</summary>
    InProgress,

    /// <summary>Progress needs a person: Ready=False, Stalled=True with the same reason.</summary>
    Stalled,

    /// <summary>Not ready on purpose and nothing to do (a suspended job): Ready=False only.</summary>
    Idle,
}
