namespace MedOps.NodeSimulator.Kube;

/// <summary>How an optimistic-concurrency status write ended.</summary>
internal enum WriteOutcome
{
    /// <summary>The status was written.</summary>
    Written,

    /// <summary>Someone wrote the object first; it has been re-read, plan again.</summary>
    Conflict,

    /// <summary>The object no longer exists.</summary>
    Gone,
}
