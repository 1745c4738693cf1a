namespace MedOps.Benchmarks;

/// <summary>What several benchmarks share: the managed heap after a full collection, and bounded-concurrency creates.</summary>
internal static class BenchHelpers
{
    /// <summary>The managed heap in bytes after two full, compacting collections.</summary>
    public static long CollectedHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Runs <paramref name="action"/> for 0..count-1, at most <paramref name="concurrency"/> at a time.</summary>
    public static async Task ForEachAsync(int count, int concurrency, Func<int, Task> action)
    {
        using var throttle = new SemaphoreSlim(concurrency);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await throttle.WaitAsync();
            try
            {
                await action(i);
            }
            finally
            {
                throttle.Release();
            }
        }));
    }
}
