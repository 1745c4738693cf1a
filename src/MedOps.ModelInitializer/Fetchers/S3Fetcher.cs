using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using MedOps.ModelInitializer.Downloads;
using MedOps.ModelInitializer.Failures;
using MedOps.ModelInitializer.Paths;
using MedOps.ModelInitializer.Sources;

namespace MedOps.ModelInitializer.Fetchers;

/// <summary>
/// s3://bucket/key: a key that names an object is one file, <c>&lt;MODEL_DIR&gt;/&lt;last element of the key&gt;</c>;
/// a key ending with '/' (or empty), or one that names no object but a "folder", is a prefix:
/// its objects become the tree under <c>MODEL_DIR</c>, keys relative to the prefix.
/// </summary>
internal sealed class S3Fetcher(IAmazonS3 client, FetchContext context)
{
    /// <summary>Downloads the object or prefix; returns what the digest covers.</summary>
    public async Task<string> FetchAsync(S3Source source, CancellationToken cancellationToken)
    {
        var key = source.Key;
        FetchFailure? denied = null;
        if (key.Length > 0 && !key.EndsWith('/'))
        {
            try
            {
                var metadata = await client.GetObjectMetadataAsync(source.Bucket, key, cancellationToken);
                var file = new PlannedFile(key, RelativePaths.Check(RelativePaths.FileName(key), source.Display), metadata.ContentLength);
                return await DownloadAsync(source, file, cancellationToken);
            }
            catch (AmazonS3Exception exception) when (exception.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
            {
                // Without s3:ListBucket, S3 answers 403 for a key that does not exist: it may be a prefix.
                denied = exception.StatusCode == HttpStatusCode.Forbidden ? S3Failures.From(exception, source.Display) : null;
            }
            catch (Exception exception) when (S3Failures.IsStoreError(exception))
            {
                throw S3Failures.From(exception, source.Display);
            }
        }

        var prefix = key.Length == 0 || key.EndsWith('/') ? key : key + "/";
        IReadOnlyList<PlannedFile> files;
        try
        {
            files = ObjectTree.Plan(source.Display, prefix, await ListAsync(source.Bucket, prefix, source.Display, cancellationToken), context.Budget);
        }
        catch (FetchFailure failure) when (failure.Reason == FailureReason.SourceNotFound && denied is not null)
        {
            throw denied;
        }
        foreach (var file in files)
        {
            await DownloadAsync(source, file, cancellationToken);
        }
        return context.Directory.Root;
    }

    private async Task<List<RemoteObject>> ListAsync(string bucket, string prefix, string display, CancellationToken cancellationToken)
    {
        var objects = new List<RemoteObject>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        try
        {
            do
            {
                var page = await client.ListObjectsV2Async(request, cancellationToken);
                objects.AddRange((page.S3Objects ?? []).Select(o => new RemoteObject(o.Key, o.Size ?? 0)));
                request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (request.ContinuationToken is { Length: > 0 });
        }
        catch (Exception exception) when (S3Failures.IsStoreError(exception))
        {
            throw S3Failures.From(exception, display);
        }
        return objects;
    }

    private async Task<string> DownloadAsync(S3Source source, PlannedFile file, CancellationToken cancellationToken)
    {
        var display = $"s3://{source.Bucket}/{file.Key}";
        if (file.Size > context.Budget.Remaining)
        {
            throw context.Budget.TooLarge(display, file.Size);
        }
        var destination = context.Directory.PrepareFile(file.RelativePath);
        await context.Runner.RunAsync(display, async attemptToken =>
        {
            var partial = context.Directory.NewPartialFile();
            try
            {
                var bytes = await AttemptAsync(source.Bucket, file.Key, display, partial, attemptToken);
                ModelDirectory.Commit(partial, destination);
                context.Budget.Commit(bytes);
                return bytes;
            }
            finally
            {
                File.Delete(partial);
            }
        }, cancellationToken);
        return destination;
    }

    private async Task<long> AttemptAsync(string bucket, string key, string display, string partial, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await client.GetObjectAsync(bucket, key, cancellationToken);
        }
        catch (Exception exception) when (S3Failures.IsStoreError(exception))
        {
            throw S3Failures.From(exception, display);
        }
        using (response)
        {
            var length = response.ContentLength;
            if (length > context.Budget.Remaining)
            {
                throw context.Budget.TooLarge(display, length);
            }
            var policy = context.Runner.Policy;
            var progress = new DownloadProgress(context.Log, display, length, policy.ProgressInterval, context.Time);
            await using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true))
            {
                try
                {
                    await StreamCopier.CopyAsync(response.ResponseStream, output, context.Budget, display, progress, policy.ReadTimeout, cancellationToken);
                }
                catch (Exception exception) when (exception is IOException or HttpRequestException)
                {
                    throw new AttemptException(HttpFailures.Broken(progress.Bytes, length, exception), exception);
                }
                catch (AmazonClientException exception)
                {
                    // The SDK checks the body against the object's MD5 ETag or checksum at its end:
                    // a body damaged on the way is worth another attempt.
                    throw new AttemptException(new AttemptFailure(AttemptFailureKind.Truncated, $"corrupt body: {exception.Message}"), exception);
                }
                if (progress.Bytes != length)
                {
                    throw new AttemptException(HttpFailures.Truncated(progress.Bytes, length));
                }
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
            }
            progress.Complete();
            return progress.Bytes;
        }
    }
}
