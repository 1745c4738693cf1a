namespace MedOps.NodeSimulator.Kube;

/// <summary>
/// Jittered exponential back-off for reconnecting and retrying (client-go's 0.8 s → 30 s shape),
/// so a restarting apiserver is not hammered and several loops do not retry in lock-step.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan maximum)
{
    private readonly TimeSpan first = initial;
    private TimeSpan next = initial;

    public TimeSpan Next()
    {
        var current = next;
        next = TimeSpan.FromTicks(Math.Min(maximum.Ticks, next.Ticks * 2));
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromTicks((long)(current.Ticks * jitter));
    }

    public void Reset() => next = first;
}
