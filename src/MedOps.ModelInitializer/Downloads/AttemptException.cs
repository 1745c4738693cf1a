namespace MedOps.ModelInitializer.Downloads;

/// <summary>
/// Thrown by one attempt of <see cref="AttemptRunner"/>: the runner asks <see cref="RetryPolicy"/>
/// whether to try again, and turns the last one into the failure's reason.
/// </summary>
internal sealed class AttemptException(AttemptFailure failure, Exception? inner = null)
    : Exception(failure.Description, inner)
{
    /// <summary>How the attempt failed.</summary>
    public AttemptFailure Failure { get; } = failure;
}
