using System.Collections.Concurrent;
using MedOps.NodeSimulator.Kube;
using MedOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MedOps.NodeSimulator.Tests.Kube;

public class DelayedWorkQueueTests
{
    private static readonly SimulatorLog Log = new(TextWriter.Null, TimeProvider.System);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    // Keys fall due on this clock only when a test advances it. The queue reads the time from it
    // but sleeps on a semaphore in real time, so a key due after an Advance is handed out at the
    // timer loop's next wake-up: at most the delay it was scheduled with.
    private readonly FakeTimeProvider time = new();

    private DateTime InMs(int milliseconds) => time.GetUtcNow().UtcDateTime.AddMilliseconds(milliseconds);

    [Fact]
    public async Task Keys_are_processed_in_the_order_they_fall_due()
    {
        using var queue = new DelayedWorkQueue(time, Log, "test");
        using var stop = new CancellationTokenSource();
        var order = new ConcurrentQueue<string>();
        var run = queue.RunAsync((key, _) => { order.Enqueue(key); return Task.CompletedTask; }, 1, stop.Token);

        queue.Schedule("late", InMs(300));
        queue.Schedule("early", InMs(100));
        queue.Add("now");
        time.Advance(TimeSpan.FromMilliseconds(300));

        await Eventually.WaitUntilAsync(() => order.Count == 3, Wait, "the three keys to be processed");
        await stop.CancelAsync();
        await run;
        Assert.Equal(["now", "early", "late"], order);
    }

    [Fact]
    public async Task A_key_runs_once_at_its_earliest_due_time()
    {
        using var queue = new DelayedWorkQueue(time, Log, "test");
        using var stop = new CancellationTokenSource();
        var runs = 0;
        var run = queue.RunAsync((_, _) => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, 2, stop.Token);

        queue.Schedule("pod", InMs(5000));
        queue.Schedule("pod", InMs(50));
        queue.Schedule("pod", InMs(4000));
        time.Advance(TimeSpan.FromMilliseconds(50));

        await Eventually.WaitUntilAsync(() => runs == 1, Wait, "the key to run");
        await Task.Delay(200);
        Assert.Equal(0, queue.PendingCount);
        await stop.CancelAsync();
        await run;
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_key_is_never_processed_twice_at_once_but_runs_again_when_added_meanwhile()
    {
        // Every key is due at once; the delays are windows in which nothing may happen, in real time.
        using var queue = new DelayedWorkQueue(TimeProvider.System, Log, "test");
        using var stop = new CancellationTokenSource();
        var active = 0;
        var maxActive = 0;
        var runs = 0;
        var release = new TaskCompletionSource();
        var run = queue.RunAsync(async (_, _) =>
        {
            var now = Interlocked.Increment(ref active);
            maxActive = Math.Max(maxActive, now);
            if (Interlocked.Increment(ref runs) == 1)
            {
                await release.Task;
            }

            Interlocked.Decrement(ref active);
        }, 4, stop.Token);

        queue.Add("pod");
        await Eventually.WaitUntilAsync(() => runs == 1, Wait, "the first run to start");
        queue.Add("pod");
        queue.Add("pod");
        await Task.Delay(100);
        Assert.Equal(1, runs);

        release.SetResult();
        await Eventually.WaitUntilAsync(() => runs == 2, Wait, "the second run");
        await Task.Delay(100);
        await stop.CancelAsync();
        await run;
        Assert.Equal(2, runs);
        Assert.Equal(1, maxActive);
    }

    [Fact]
    public async Task A_failing_handler_is_retried()
    {
        // The real clock: the worker schedules the retry 500 ms after a moment the test does not
        // see, so a fake clock could only be advanced after waiting for the retry to be pending.
        using var queue = new DelayedWorkQueue(TimeProvider.System, Log, "test");
        using var stop = new CancellationTokenSource();
        var attempts = 0;
        var run = queue.RunAsync((_, _) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                throw new InvalidOperationException("first attempt fails");
            }

            return Task.CompletedTask;
        }, 1, stop.Token);

        queue.Add("pod");

        await Eventually.WaitUntilAsync(() => attempts == 2, Wait, "the retry");
        await stop.CancelAsync();
        await run;
    }
}
