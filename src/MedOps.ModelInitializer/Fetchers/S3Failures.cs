using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Fetchers;

/// <summary>The reasons of S3 errors (the SDK has retried the transient ones already).</summary>
internal static class S3Failures
{
    /// <summary>The failure for an error of the SDK about <paramref name="display"/>.</summary>
    public static FetchFailure From(Exception exception, string display)
    {
        if (exception is AmazonS3Exception s3)
        {
            var code = (int)s3.StatusCode;
            var what = $"{display}: {(string.IsNullOrEmpty(s3.ErrorCode) ? s3.StatusCode.ToString() : s3.ErrorCode)} (HTTP {code})";
            var reason = s3.StatusCode switch
            {
                HttpStatusCode.NotFound => FailureReason.SourceNotFound,
                HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => FailureReason.Unauthorized,
                _ => FailureReason.DownloadFailed,
            };
            return new FetchFailure(reason, what, exception);
        }
        if (exception is TimeoutException)
        {
            return new FetchFailure(FailureReason.DownloadFailed, $"{display}: no answer within the read timeout", exception);
        }
        var cause = exception is AmazonClientException { InnerException: { } inner } ? $"{exception.Message}: {inner.Message}" : exception.Message;
        return new FetchFailure(FailureReason.DownloadFailed, $"{display}: {cause}", exception);
    }

    /// <summary>Whether <paramref name="exception"/> is an SDK or transport error that <see cref="From"/> explains.</summary>
    public static bool IsStoreError(Exception exception) =>
        exception is AmazonServiceException or AmazonClientException or HttpRequestException or TimeoutException;
}
