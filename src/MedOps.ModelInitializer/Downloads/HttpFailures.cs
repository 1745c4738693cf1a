using System.Net;
using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Downloads;

/// <summary>Turns HTTP outcomes into <see cref="AttemptFailure"/>s and those into reasons.</summary>
internal static class HttpFailures
{
    /// <summary>The failure of a response that is not a success; with its Retry-After, if any.</summary>
    public static AttemptFailure Status(HttpResponseMessage response, DateTimeOffset now)
    {
        var code = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };
        return new AttemptFailure(AttemptFailureKind.Status, Describe(response.StatusCode, response.ReasonPhrase), code, retryAfter);
    }

    /// <summary><c>HTTP 404 Not Found</c>.</summary>
    public static string Describe(HttpStatusCode status, string? reasonPhrase)
    {
        var phrase = string.IsNullOrEmpty(reasonPhrase) ? status.ToString() : reasonPhrase;
        return $"HTTP {(int)status} {phrase}";
    }

    /// <summary>A connection error with its cause ("Connection refused (127.0.0.1:80)").</summary>
    public static AttemptFailure Connection(Exception exception)
    {
        var message = exception.InnerException is { } inner && !exception.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{exception.Message.TrimEnd('.')}: {inner.Message}"
            : exception.Message;
        return new AttemptFailure(AttemptFailureKind.ConnectionError, $"connection error: {message}");
    }

    /// <summary>A body that broke off: truncated when its length was announced, a connection error otherwise.</summary>
    public static AttemptFailure Broken(long received, long? expected, Exception exception) =>
        expected is { } length
            ? Truncated(received, length)
            : new AttemptFailure(AttemptFailureKind.ConnectionError, $"the connection broke after {received} bytes: {exception.Message}");

    /// <summary>A body shorter than its Content-Length.</summary>
    public static AttemptFailure Truncated(long received, long expected) =>
        new(AttemptFailureKind.Truncated, $"truncated body: {received} of {expected} bytes (Content-Length)");

    /// <summary>The reason for a failure that is not retried again.</summary>
    public static FailureReason Reason(AttemptFailure failure) => failure.StatusCode switch
    {
        404 or 410 => FailureReason.SourceNotFound,
        401 or 403 => FailureReason.Unauthorized,
        _ => FailureReason.DownloadFailed,
    };
}
