using System.Buffers;
using System.Globalization;
using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Downloads;

/// <summary>Copies a body to a file with a timeout on every read and a byte limit.</summary>
internal static class StreamCopier
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Copies until the end of <paramref name="source"/>; returns the bytes copied. Throws
    /// <see cref="FailureReason.TooLarge"/> past the budget's remaining bytes (never retried),
    /// an <see cref="AttemptException"/> of kind <see cref="AttemptFailureKind.Timeout"/> when one
    /// read waits longer than <paramref name="readTimeout"/>; I/O errors are left to the caller,
    /// which knows the expected length.
    /// </summary>
    public static async Task<long> CopyAsync(
        Stream source, Stream destination, ByteBudget budget, string what, DownloadProgress progress,
        TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var read = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                // The timer may have fired just after the last read: a fired source cannot be reset.
                if (!read.TryReset())
                {
                    read.Dispose();
                    read = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }
                read.CancelAfter(readTimeout);
                int count;
                try
                {
                    count = await source.ReadAsync(buffer.AsMemory(0, BufferSize), read.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new AttemptException(new AttemptFailure(AttemptFailureKind.Timeout, string.Create(CultureInfo.InvariantCulture,
                        $"no data for {readTimeout.TotalSeconds:0.###} s after {progress.Bytes} bytes")));
                }
                if (count == 0)
                {
                    return progress.Bytes;
                }
                if (progress.Bytes + count > budget.Remaining)
                {
                    throw budget.TooLarge(what, null);
                }
                await destination.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
                progress.Add(count);
            }
        }
        finally
        {
            read.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
