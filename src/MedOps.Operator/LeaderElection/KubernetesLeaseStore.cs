using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace MedOps.Operator.LeaderElection;

/// <summary><see cref="ILeaseStore"/> over the API server's <c>coordination.k8s.io/v1</c> Leases.</summary>
internal sealed class KubernetesLeaseStore(IKubernetes client, LeaderElectionSettings settings) : ILeaseStore
{
    /// <inheritdoc />
    public async Task<V1Lease?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoordinationV1.ReadNamespacedLeaseAsync(settings.LeaseName, settings.Namespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<V1Lease?> CreateAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoordinationV1.CreateNamespacedLeaseAsync(lease, settings.Namespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<V1Lease?> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, settings.LeaseName, settings.Namespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }
}
