using MedOps.Testing;

namespace MedOps.IntegrationTests;

/// <summary>
/// Every integration test shares one local cluster and runs one at a time: the machine has
/// two cores, and tests that measure timing must not fight each other for them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<LocalCluster>
{
    /// <summary>The collection name to put on test classes.</summary>
    public const string Name = "local cluster";
}
