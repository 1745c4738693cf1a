namespace MedOps.Operator.Tests.LeaderElection;

/// <summary>
/// Tests that measure leader election on the real clock run alone, not beside the other test
/// classes. On two cores, with other classes running beside it right after the build, one run
/// saw no renewal for 3 s (past the scaled 2 s renew deadline): the margins hold for the code,
/// not for a machine whose cores are busy with other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealClockCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "leader election on the real clock";
}
