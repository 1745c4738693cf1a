using k8s.Models;

namespace MedOps.Operator.LeaderElection;

/// <summary>
/// Reads and writes the one Lease that leader election uses, with optimistic concurrency
/// (<c>metadata.resourceVersion</c>). Conflicts are results, not exceptions; any other failure throws.
/// </summary>
internal interface ILeaseStore
{
    /// <summary>The Lease, or null when it does not exist.</summary>
    Task<V1Lease?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Creates the Lease; null when it already exists.</summary>
    Task<V1Lease?> CreateAsync(V1Lease lease, CancellationToken cancellationToken);

    /// <summary>Replaces the Lease if its resourceVersion still matches; null on a conflict.</summary>
    Task<V1Lease?> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken);
}
