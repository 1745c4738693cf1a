using k8s.Models;
using MedOps.Controllers.Shared;
using MedOps.Controllers.TrainingJobs.Builders;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>
/// Why the workers of an attempt do not run: the first problem (<see cref="PodDiagnosis"/>: the
/// scheduler's message, an image that cannot be pulled, a container that cannot be created) of
/// its pods, by rank. Pure.
/// </summary>
public static class WorkerDiagnosis
{
    /// <summary>The first problem of the pods of <paramref name="attempt"/> that are not being deleted; null when none says one.</summary>
    public static PodProblem? FirstProblem(int attempt, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return pods
            .Where(p => p.Metadata?.DeletionTimestamp is null && TrainingWorkers.AttemptOf(p.Metadata?.Labels) == attempt)
            .OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal)
            .Select(PodDiagnosis.Diagnose)
            .FirstOrDefault(p => p is not null);
    }
}
