using System.Collections.Concurrent;
using MedOps.NodeSimulator.Kube;

namespace MedOps.NodeSimulator.Tests.Kube;

public class DelayedWorkQueueTests
{
    private static readonly SimulatorLog Log = new(TextWriter.Null, TimeProvider.System);

    private static DateTime InMs(int milliseconds) => DateTime.UtcNow.AddMilliseconds(milliseconds);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Keys_are_processed_in_the_order_they_fall_due()
    {
        using var queue = new DelayedWorkQueue(TimeProvider.System, Log, "test");
        using var stop = new CancellationTokenSource();
        var order = new ConcurrentQueue<string>();
        var run = queue.RunAsync((key, _) => { order.Enqueue(key); return Task.CompletedTask; }, 1, stop.Token);

        queue.Schedule("late", InMs(300));
        queue.Schedule("early", InMs(100));
        queue.Add("now");

        await WaitUntil(() => order.Count == 3);
        await stop.CancelAsync();
        await run;
        Assert.Equal(["now", "early", "late"], order);
    }

    [Fact]
    public async Task A_key_runs_once_at_its_earliest_due_time()
    {
        using var queue = new DelayedWorkQueue(TimeProvider.System, Log, "test");
        using var stop = new CancellationTokenSource();
        var runs = 0;
        var run = queue.RunAsync((_, _) => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, 2, stop.Token);

        queue.Schedule("pod", InMs(5000));
        queue.Schedule("pod", InMs(50));
        queue.Schedule("pod", InMs(4000));

        await WaitUntil(() => runs == 1);
        await Task.Delay(200);
        Assert.Equal(0, queue.PendingCount);
        await stop.CancelAsync();
        await run;
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_key_is_never_processed_twice_at_once_but_runs_again_when_added_meanwhile()
    {
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
        await WaitUntil(() => runs == 1);
        queue.Add("pod");
        queue.Add("pod");
        await Task.Delay(100);
        Assert.Equal(1, runs);

        release.SetResult();
        await WaitUntil(() => runs == 2);
        await Task.Delay(100);
        await stop.CancelAsync();
        await run;
        Assert.Equal(2, runs);
        Assert.Equal(1, maxActive);
    }

    [Fact]
    public async Task A_failing_handler_is_retried()
    {
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

        await WaitUntil(() => attempts == 2);
        await stop.CancelAsync();
        await run;
    }
}
