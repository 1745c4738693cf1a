namespace MedOps.ModelInitializer.Downloads;

/// <summary>How an attempt failed, as far as retrying is concerned.</summary>
internal enum AttemptFailureKind
{
    /// <summary>The server answered with a status code.</summary>
    Status,

    /// <summary>No answer: refused, reset, DNS, TLS.</summary>
    ConnectionError,

    /// <summary>The body ended before its Content-Length.</summary>
    Truncated,

    /// <summary>The headers, or a read of the body, took longer than the read timeout.</summary>
    Timeout,
}

/// <summary>A failed attempt: what <see cref="RetryPolicy.Decide"/> decides on.</summary>
/// <param name="Kind">How it failed.</param>
/// <param name="Description">For logs and the termination message, like <c>HTTP 503 Service Unavailable</c>.</param>
/// <param name="StatusCode">The status code for <see cref="AttemptFailureKind.Status"/>.</param>
/// <param name="RetryAfter">The server's Retry-After, when it sent one.</param>
internal sealed record AttemptFailure(AttemptFailureKind Kind, string Description, int? StatusCode = null, TimeSpan? RetryAfter = null);
