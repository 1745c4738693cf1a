namespace MedOps.Runtime.Queue;

/// <summary>
/// A token bucket that hands out reservations: each call takes one token and returns how long
/// the caller must wait for it (zero while the burst lasts). Thread-safe.
/// </summary>
public sealed class TokenBucket
{
    private readonly double ratePerSecond;
    private readonly double burst;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private double tokens;
    private long lastTimestamp;

    /// <summary>Creates a full bucket.</summary>
    public TokenBucket(double ratePerSecond, int burst, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.time = time ?? TimeProvider.System;
        tokens = burst;
        lastTimestamp = this.time.GetTimestamp();
    }

    /// <summary>Takes a token; returns the wait until it is really available.</summary>
    public TimeSpan Reserve()
    {
        lock (gate)
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(lastTimestamp, now).TotalSeconds;
            lastTimestamp = now;
            tokens = Math.Min(burst, tokens + (elapsed * ratePerSecond));
            tokens -= 1;
            return tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / ratePerSecond);
        }
    }

    /// <summary>Waits for a token.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var delay = Reserve();
        return delay == TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, time, cancellationToken);
    }
}
