using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>The time limits of a TrainingJob: <c>activeDeadlineSeconds</c> and <c>ttlSecondsAfterFinished</c>. Pure.</summary>
public static class TrainingDeadlines
{
    /// <summary>
    /// When the job must have finished: <c>status.startTime + spec.activeDeadlineSeconds</c>;
    /// null without a deadline or before the first attempt started.
    /// </summary>
    public static DateTime? ActiveDeadline(V1Alpha1TrainingJobSpec spec, DateTime? startTime)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.ActiveDeadlineSeconds is { } seconds && startTime is { } start
            ? start.AddSeconds(seconds)
            : null;
    }

    /// <summary>
    /// When a finished job is deleted: <c>status.completionTime + spec.ttlSecondsAfterFinished</c>;
    /// null without a TTL or before the job finished.
    /// </summary>
    public static DateTime? ExpiresAt(V1Alpha1TrainingJobSpec spec, DateTime? completionTime)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.TtlSecondsAfterFinished is { } seconds && completionTime is { } done
            ? done.AddSeconds(seconds)
            : null;
    }

    /// <summary>
    /// How long to wait for <paramref name="at"/>: zero when it has passed, else the time left
    /// plus a little, so the wake-up lands after the instant, not a tick before it.
    /// </summary>
    public static TimeSpan Until(DateTime at, DateTime now)
    {
        var left = at - now;
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left + TimeSpan.FromMilliseconds(100);
    }
}
