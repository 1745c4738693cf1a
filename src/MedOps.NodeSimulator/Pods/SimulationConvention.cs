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

    /// <summary>The pod label naming the MedOps component of a pod.</summary>
    public const string ComponentLabel = "app.kubernetes.io/component";

    /// <summary>
    /// Components whose containers finish by themselves: a TrainingJob's output-digest pod reads
    /// the output and exits. They exit 0 after <see cref="DefaultRunTime"/> unless their
    /// environment says otherwise (the simulator writes no termination message, so the operator
    /// records the digest as unknown).
    /// </summary>
    public static readonly IReadOnlySet<string> OneShotComponents = new HashSet<string>(StringComparer.Ordinal) { "output-digest" };

    public static readonly TimeSpan DefaultRunTime = TimeSpan.FromSeconds(1);
}
