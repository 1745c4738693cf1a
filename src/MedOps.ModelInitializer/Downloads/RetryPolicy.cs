namespace MedOps.ModelInitializer.Downloads;

/// <summary>
/// Whether to try again after a failed attempt, and when: a pure function, so that it is tested
/// without a clock. 5xx, 408, 429, connection errors, timeouts and truncated bodies are retried
/// with exponential backoff and jitter; other 4xx are not (asking again will not change them).
/// </summary>
internal static class RetryPolicy
{
    /// <summary>Whether a status code is worth another attempt.</summary>
    public static bool IsRetryable(int statusCode) => statusCode is 408 or 429 or (>= 500 and <= 599);

    /// <summary>
    /// The delay before the next attempt, or null to give up. <paramref name="attempt"/> is the
    /// number of the attempt that failed (1 for the first); <paramref name="jitter"/> is a random
    /// number in [0, 1): the delay is between half and all of the backoff, so that many pods
    /// failing at once do not come back at once. A Retry-After is waited at least (up to
    /// <see cref="DownloadPolicy.MaxRetryAfter"/>).
    /// </summary>
    public static TimeSpan? Decide(AttemptFailure failure, int attempt, DownloadPolicy policy, double jitter)
    {
        if (failure.Kind == AttemptFailureKind.Status && !IsRetryable(failure.StatusCode ?? 0))
        {
            return null;
        }
        if (attempt >= policy.MaxAttempts)
        {
            return null;
        }
        var delay = Backoff(attempt, policy) * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1)));
        if (failure.RetryAfter is { } retryAfter)
        {
            var honoured = retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter > policy.MaxRetryAfter ? policy.MaxRetryAfter : retryAfter;
            delay = honoured > delay ? honoured : delay;
        }
        return delay;
    }

    /// <summary>The backoff after attempt <paramref name="attempt"/>: the base delay doubled per attempt, capped.</summary>
    public static TimeSpan Backoff(int attempt, DownloadPolicy policy)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var ticks = Math.Min(policy.BaseDelay.Ticks * factor, policy.MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
