using System.Diagnostics;
using MedOps.Runtime.Queue;

namespace MedOps.Benchmarks;

/// <summary>Work queue throughput: add, take and finish keys with several workers, as controllers do.</summary>
internal static class QueueBenchmark
{
    public static async Task RunAsync(BenchmarkTable table)
    {
        foreach (var workers in new[] { 1, 4 })
        {
            const int keys = 200_000;
            using var queue = new WorkQueue<int>("bench");
            var done = 0;
            var clock = Stopwatch.StartNew();
            var consumers = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                while (Volatile.Read(ref done) < keys)
                {
                    int key;
                    try
                    {
                        key = await queue.GetAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
                    }
                    catch (TimeoutException)
                    {
                        continue;
                    }
                    queue.Done(key);
                    Interlocked.Increment(ref done);
                }
            })).ToArray();
            for (var i = 0; i < keys; i++)
            {
                queue.Add(i);
            }
            await Task.WhenAll(consumers);
            var seconds = clock.Elapsed.TotalSeconds;
            table.Add("work queue", $"add+get+done, {workers} worker(s)", keys / seconds, "keys/s", $"{keys:N0} distinct keys");
        }

        // De-duplication under a storm: the same 1,000 keys added 100 times each while 4 workers drain.
        using var storm = new WorkQueue<int>("bench-dedup");
        var processed = 0;
        using var stop = new CancellationTokenSource();
        var drain = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var key = await storm.GetAsync(stop.Token);
                    Interlocked.Increment(ref processed);
                    storm.Done(key);
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();
        var stormClock = Stopwatch.StartNew();
        for (var round = 0; round < 100; round++)
        {
            for (var key = 0; key < 1000; key++)
            {
                storm.Add(key);
            }
        }
        while (storm.Count > 0)
        {
            await Task.Delay(10);
        }
        await Task.Delay(100);
        stop.Cancel();
        await Task.WhenAll(drain);
        table.Add("work queue", "100,000 adds of 1,000 keys", processed, "reconciles", $"de-duplicated in {stormClock.Elapsed.TotalMilliseconds:N0} ms");
    }
}
