namespace MedOps.ModelInitializer;

/// <summary>The text of <c>medops-model-initializer --help</c>.</summary>
internal static class UsageText
{
    /// <summary>The usage.</summary>
    public const string Text = """
        Usage:
          medops-model-initializer fetch           fetch MODEL_URI into MODEL_DIR and verify it (the init container)
          medops-model-initializer digest <path>   print the digest of a file or folder (the pin for MODEL_DIGEST)

        fetch reads its settings from the environment:
          MODEL_URI              https://, http://, s3://, gs:// or pvc:// (required)
          MODEL_DIGEST           sha256:<64 hex> to verify (optional)
          MODEL_DIR              destination (default /mnt/models)
          MODEL_MAX_BYTES        size limit, bytes or 50Gi (default 50Gi)
          MODEL_CREDENTIALS_DIR  a mounted Secret: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, token
          S3_ENDPOINT            an S3-compatible store (path-style); AWS_REGION (default us-east-1)
          GCS_ENDPOINT           default https://storage.googleapis.com
          TERMINATION_LOG        default /dev/termination-log

        """;
}
