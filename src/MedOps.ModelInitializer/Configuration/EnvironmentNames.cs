namespace MedOps.ModelInitializer.Configuration;

/// <summary>The environment variables that configure <c>fetch</c> (docs/model-initializer.md, "Environment").</summary>
internal static class EnvironmentNames
{
    /// <summary>Where the model comes from (required).</summary>
    public const string ModelUri = "MODEL_URI";

    /// <summary>The pinned digest, <c>sha256:&lt;64 hex&gt;</c> (optional).</summary>
    public const string ModelDigest = "MODEL_DIGEST";

    /// <summary>The destination folder.</summary>
    public const string ModelDir = "MODEL_DIR";

    /// <summary>The size limit.</summary>
    public const string ModelMaxBytes = "MODEL_MAX_BYTES";

    /// <summary>A mounted Secret's folder (optional).</summary>
    public const string CredentialsDir = "MODEL_CREDENTIALS_DIR";

    /// <summary>An S3-compatible store's URL (path-style requests).</summary>
    public const string S3Endpoint = "S3_ENDPOINT";

    /// <summary>The Google Cloud Storage endpoint.</summary>
    public const string GcsEndpoint = "GCS_ENDPOINT";

    /// <summary>The S3 region used for signing.</summary>
    public const string AwsRegion = "AWS_REGION";

    /// <summary>The file for the termination message.</summary>
    public const string TerminationLog = "TERMINATION_LOG";

    /// <summary>An S3 access key id: a file in the credentials folder, or this variable.</summary>
    public const string AwsAccessKeyId = "AWS_ACCESS_KEY_ID";

    /// <summary>An S3 secret key: a file in the credentials folder, or this variable.</summary>
    public const string AwsSecretAccessKey = "AWS_SECRET_ACCESS_KEY";

    /// <summary>An S3 session token (optional, with temporary keys): a file or this variable.</summary>
    public const string AwsSessionToken = "AWS_SESSION_TOKEN";

    /// <summary>The file in the credentials folder with a Bearer token for https:// and gs://.</summary>
    public const string TokenFile = "token";
}
