namespace MedOps.ModelInitializer.Downloads;

/// <summary>Timeouts, retries and progress of downloads. Tests shorten the delays.</summary>
internal sealed record DownloadPolicy
{
    /// <summary>The defaults of the init container.</summary>
    public static DownloadPolicy Default { get; } = new();

    /// <summary>How long a TCP (and TLS) connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the response headers, or any one read of the body, may take.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per file, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The backoff before the second attempt; it doubles for each further one.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest Retry-After honoured; a longer one is cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a progress line is logged during a download.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);
}
