using System.Collections.Concurrent;
using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>
/// Remembers, per job UID, the (attempt, phase) of the last status this process wrote until the
/// informer's cache shows it. A reconcile that runs on the older cached copy in between (the
/// status write's own watch event has not arrived yet) must not decide again: it could start an
/// attempt twice. Entries go once the cache has caught up, or after <see cref="Limit"/>, when
/// someone else must have changed the status and the cache is trusted again.
/// </summary>
public sealed class WrittenStatusTracker
{
    /// <summary>How long a written status is waited for before the cache is trusted again.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, (int Attempt, TrainingJobPhase? Phase, DateTime At)> written = new();

    /// <summary>Notes that a status with <paramref name="attempt"/> and <paramref name="phase"/> was written at <paramref name="now"/>.</summary>
    public void Wrote(V1Alpha1TrainingJob job, int attempt, TrainingJobPhase? phase, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(job);
        written[job.Metadata.Uid ?? ""] = (attempt, phase, now);
    }

    /// <summary>True while <paramref name="job"/>'s cached status is older than the one this process last wrote.</summary>
    public bool IsBehind(V1Alpha1TrainingJob job, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var uid = job.Metadata.Uid ?? "";
        if (!written.TryGetValue(uid, out var expected))
        {
            return false;
        }
        if ((job.Status?.Attempt ?? 0) == expected.Attempt && job.Status?.Phase == expected.Phase)
        {
            written.TryRemove(uid, out _);
            return false;
        }
        if (now - expected.At > Limit)
        {
            // Never seen: someone else changed the status meanwhile. Trust the cache again.
            written.TryRemove(uid, out _);
            return false;
        }
        return true;
    }

    /// <summary>Forgets a job that is gone.</summary>
    public void Forget(V1Alpha1TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        written.TryRemove(job.Metadata.Uid ?? "", out _);
    }
}
