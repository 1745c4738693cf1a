namespace MedOps.Runtime.Queue;

/// <summary>Decides how long a key waits before it is retried.</summary>
public interface IRateLimiter<in TKey>
{
    /// <summary>The delay before the next retry of <paramref name="key"/>; counts the failure.</summary>
    TimeSpan When(TKey key);

    /// <summary>Forgets the failures of <paramref name="key"/> (after a success).</summary>
    void Forget(TKey key);

    /// <summary>How many times <paramref name="key"/> failed since it was last forgotten.</summary>
    int Retries(TKey key);
}

/// <summary>Per-key exponential backoff: base·2^failures, capped (client-go's ItemExponentialFailureRateLimiter).</summary>
public sealed class ExponentialBackoffLimiter<TKey>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> failures = [];
    private readonly Lock gate = new();

    /// <inheritdoc/>
    public TimeSpan When(TKey key)
    {
        int n;
        lock (gate)
        {
            failures.TryGetValue(key, out n);
            failures[key] = n + 1;
        }
        // 2^n overflows long before the cap matters; stop doubling once past it.
        var ticks = baseDelay.Ticks * Math.Pow(2, Math.Min(n, 40));
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <inheritdoc/>
    public void Forget(TKey key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    /// <inheritdoc/>
    public int Retries(TKey key)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(key);
        }
    }
}

/// <summary>
/// A global token bucket over all keys (client-go's BucketRateLimiter): bursts up to
/// <c>burst</c> retries, then <c>ratePerSecond</c>. Keeps a storm of failing keys from
/// hammering the apiserver however many keys fail.
/// </summary>
public sealed class TokenBucketLimiter<TKey>(double ratePerSecond, int burst, TimeProvider? time = null) : IRateLimiter<TKey>
{
    private readonly TokenBucket bucket = new(ratePerSecond, burst, time ?? TimeProvider.System);

    /// <inheritdoc/>
    public TimeSpan When(TKey key) => bucket.Reserve();

    /// <inheritdoc/>
    public void Forget(TKey key)
    {
    }

    /// <inheritdoc/>
    public int Retries(TKey key) => 0;
}

/// <summary>The longest delay of several limiters (client-go's MaxOfRateLimiter).</summary>
public sealed class MaxOfLimiter<TKey>(params IRateLimiter<TKey>[] limiters) : IRateLimiter<TKey>
{
    /// <inheritdoc/>
    public TimeSpan When(TKey key) => limiters.Select(l => l.When(key)).Max();

    /// <inheritdoc/>
    public void Forget(TKey key)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(key);
        }
    }

    /// <inheritdoc/>
    public int Retries(TKey key) => limiters.Max(l => l.Retries(key));
}

/// <summary>Ready-made limiters.</summary>
public static class RateLimiters
{
    /// <summary>controller-runtime's default: 5 ms → 5 min per key, and 10 qps with a burst of 100 overall.</summary>
    public static IRateLimiter<TKey> ControllerDefault<TKey>()
        where TKey : notnull =>
        new MaxOfLimiter<TKey>(
            new ExponentialBackoffLimiter<TKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(5)),
            new TokenBucketLimiter<TKey>(10, 100));
}
