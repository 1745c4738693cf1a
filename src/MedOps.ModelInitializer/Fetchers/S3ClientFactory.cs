using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using MedOps.ModelInitializer.Configuration;
using MedOps.ModelInitializer.Downloads;

namespace MedOps.ModelInitializer.Fetchers;

/// <summary>
/// The S3 client. It never reaches an instance metadata address: the credentials are always
/// given (the keys, or anonymous ones: never the SDK's default chain, which asks the metadata
/// service), and so is the region (never "auto" configuration, which asks it too).
/// </summary>
internal static class S3ClientFactory
{
    /// <summary>A client for <c>S3_ENDPOINT</c> (path-style) or AWS in the settings' region.</summary>
    public static AmazonS3Client Create(FetchSettings settings, AwsKeys? keys, DownloadPolicy policy)
    {
        var config = new AmazonS3Config
        {
            DefaultConfigurationMode = DefaultConfigurationMode.Standard,
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = Math.Max(0, policy.MaxAttempts - 1),
            ConnectTimeout = policy.ConnectTimeout,
            // Up to the response headers only: the body's reads have the read timeout of StreamCopier.
            Timeout = policy.ReadTimeout,
        };
        if (settings.S3Endpoint is { } endpoint)
        {
            // MinIO, Ceph and the like serve buckets as paths, not as host names.
            config.ServiceURL = endpoint.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }
        return new AmazonS3Client(Credentials(keys), config);
    }

    private static AWSCredentials Credentials(AwsKeys? keys) => keys switch
    {
        null => new AnonymousAWSCredentials(),
        { SessionToken: { } token } => new SessionAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey, token),
        _ => new BasicAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey),
    };
}
