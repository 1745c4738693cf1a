namespace MedOps.ModelInitializer.Failures;

/// <summary>A failure with its reason: what the termination message reports.</summary>
internal sealed class FetchFailure : Exception
{
    /// <summary>Creates a failure; <paramref name="detail"/> follows the reason in the message.</summary>
    public FetchFailure(FailureReason reason, string detail, Exception? inner = null)
        : base($"{reason}: {detail}", inner)
    {
        Reason = reason;
        Detail = detail;
    }

    /// <summary>Why it failed.</summary>
    public FailureReason Reason { get; }

    /// <summary>What failed, without the reason.</summary>
    public string Detail { get; }
}
