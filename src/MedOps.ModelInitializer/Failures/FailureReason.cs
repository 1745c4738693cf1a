namespace MedOps.ModelInitializer.Failures;

/// <summary>
/// Why a fetch failed: the first word of the termination message, which the operator and
/// <c>kubectl describe pod</c> show. The names are a contract (docs/model-initializer.md).
/// </summary>
internal enum FailureReason
{
    /// <summary>The content's digest is not <c>MODEL_DIGEST</c>.</summary>
    DigestMismatch,

    /// <summary>The transfer failed: a status code, a connection error, a truncated body.</summary>
    DownloadFailed,

    /// <summary>The object, prefix, URL or claim path does not exist.</summary>
    SourceNotFound,

    /// <summary>The store refused the credentials (or their absence).</summary>
    Unauthorized,

    /// <summary>A path or link that would escape <c>MODEL_DIR</c>, or a file that is not a regular file.</summary>
    UnsafeContent,

    /// <summary>More than <c>MODEL_MAX_BYTES</c>.</summary>
    TooLarge,

    /// <summary>The URI or another setting is malformed.</summary>
    InvalidSource,
}
