using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs.Builders;
using MedOps.Runtime.Api;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>
/// Creates and deletes a TrainingJob's pods (its workers and its output-digest pod). Pods are
/// created, not applied: a worker is never changed in place (a new attempt gets new pods), and
/// the deterministic name (the rank) keeps at most one pod per rank even across a crash between
/// two creations.
/// </summary>
public sealed class WorkerPods(KubeApi api)
{
    private static readonly ResourceType PodType = ResourceType.For<V1Pod>();

    /// <summary>Creates worker <paramref name="rank"/> of <paramref name="attempt"/>; false when it exists already.</summary>
    public Task<bool> CreateAsync(V1Alpha1TrainingJob job, int rank, int attempt, CancellationToken cancellationToken) =>
        CreateAsync(WorkerPodBuilder.Build(job, rank, attempt), cancellationToken);

    /// <summary>Creates <paramref name="pod"/>; false when a pod of its name exists already.</summary>
    public async Task<bool> CreateAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        try
        {
            await api.CreateAsync(PodType, pod.Metadata.NamespaceProperty, pod, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException ex) when (ex.IsConflict)
        {
            // AlreadyExists: created before a crash, or not in the cache yet. The name is the
            // rank (or the digest step), so there is still exactly one pod for it; its watch
            // event brings us back.
            return false;
        }
    }

    /// <summary>Deletes <paramref name="pods"/> (those not already terminating), each guarded by its UID.</summary>
    public async Task DeleteAsync(IEnumerable<V1Pod> pods, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pods);
        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            try
            {
                await api.DeleteAsync(PodType, pod.Metadata.NamespaceProperty, pod.Metadata.Name, uid: pod.Metadata.Uid, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException ex) when (ex.IsConflict)
            {
                // The UID precondition failed: the name belongs to a newer pod now; leave it.
            }
        }
    }
}
