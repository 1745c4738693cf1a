namespace MedOps.NodeSimulator.Pods;

/// <summary>
/// The documented convention (docs/node-simulator.md) by which a pod tells the simulator how its
/// containers behave: literal environment variables on the container.
/// </summary>
internal static class SimulationConvention
{
    /// <summary>The container exits with this code after running <see cref="RunSeconds"/>.</summary>
    public const string ExitCode = "MEDOPS_SIM_EXIT_CODE";

    /// <summary>How long the container runs before it exits (seconds, may be fractional; default 1).</summary>
    public const string RunSeconds = "MEDOPS_SIM_RUN_SECONDS";

    /// <summary>Comma list of <see cref="Rank"/> values whose container exits with code 1.</summary>
    public const string FailRanks = "MEDOPS_SIM_FAIL_RANKS";

    /// <summary>Comma list of <see cref="AttemptLabel"/> values that <see cref="FailRanks"/> applies to (default: all).</summary>
    public const string FailAttempts = "MEDOPS_SIM_FAIL_ATTEMPTS";

    /// <summary><c>true</c>: the container runs but never becomes ready.</summary>
    public const string NeverReady = "MEDOPS_SIM_NEVER_READY";

    /// <summary>The worker's rank, as the MedOps training controller sets it.</summary>
    public const string Rank = "RANK";

    /// <summary>The pod label carrying the training attempt number.</summary>
    public const string AttemptLabel = "medops.io/attempt";

    public static readonly TimeSpan DefaultRunTime = TimeSpan.FromSeconds(1);
}
