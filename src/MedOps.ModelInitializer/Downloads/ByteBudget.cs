using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Downloads;

/// <summary>
/// <c>MODEL_MAX_BYTES</c> shared by the files of one fetch: what is committed counts against the
/// rest; a failed attempt's bytes do not.
/// </summary>
internal sealed class ByteBudget(long limit)
{
    /// <summary>The limit.</summary>
    public long Limit { get; } = limit;

    /// <summary>The bytes of the files completed so far.</summary>
    public long Committed { get; private set; }

    /// <summary>What the next file may still hold.</summary>
    public long Remaining => Limit - Committed;

    /// <summary>Counts a completed file.</summary>
    public void Commit(long bytes) => Committed += bytes;

    /// <summary>The failure for <paramref name="what"/>, of <paramref name="bytes"/> (more than the remaining ones; null when not known).</summary>
    public FetchFailure TooLarge(string what, long? bytes)
    {
        var size = bytes is { } known ? $"{ByteSizes.Format(known)} ({known} bytes)" : $"more than {Remaining} bytes";
        var already = Committed > 0 ? $", after {Committed} bytes of other files" : "";
        return new FetchFailure(FailureReason.TooLarge, $"{what} holds {size}{already}: more than MODEL_MAX_BYTES {Limit}");
    }
}
