using MedOps.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace MedOps.Runtime.Tests.Queue;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    // Delayed keys fall due on this clock only when a test advances it. The queue reads the time
    // from it but its delay loop sleeps on a semaphore in real time, so a key due after an Advance
    // is handed out at the loop's next wake-up: at most the delay it was added with.
    private readonly FakeTimeProvider time = new();

    [Fact]
    public async Task A_key_added_twice_before_it_is_taken_is_handed_out_once()
    {
        using var queue = new WorkQueue<string>("test");
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await queue.GetAsync(CancellationToken.None));
        Assert.Equal("b", await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_to_a_second_worker_but_runs_again_after_done()
    {
        using var queue = new WorkQueue<string>("test");
        queue.Add("a");
        var first = await queue.GetAsync(CancellationToken.None);

        queue.Add("a");
        Assert.Equal(0, queue.Count);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.GetAsync(cts.Token));

        queue.Done(first);
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", await queue.GetAsync(CancellationToken.None).WaitAsync(Wait));
    }

    [Fact]
    public async Task A_key_handed_out_counts_as_in_process_until_done_and_not_as_waiting()
    {
        using var queue = new WorkQueue<string>("test");
        queue.Add("a");
        Assert.Equal((1, 0), (queue.Count, queue.InProcess));

        var key = await queue.GetAsync(CancellationToken.None);
        Assert.Equal((0, 1), (queue.Count, queue.InProcess));

        queue.Done(key);
        Assert.Equal((0, 0), (queue.Count, queue.InProcess));
    }

    [Fact]
    public async Task Done_without_a_new_add_does_not_requeue()
    {
        using var queue = new WorkQueue<string>("test");
        queue.Add("a");
        queue.Done(await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task AddAfter_hands_the_key_out_only_after_the_delay()
    {
        // The real clock: with a fake one the test would advance the time itself, and the check
        // below would hold even if the queue ignored the delay.
        using var queue = new WorkQueue<string>("test");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        queue.AddAfter("a", TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, queue.Count);

        Assert.Equal("a", await queue.GetAsync(CancellationToken.None).WaitAsync(Wait));
        Assert.True(clock.ElapsedMilliseconds >= 190, $"handed out after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task The_earliest_of_several_delayed_adds_of_one_key_wins_and_the_key_comes_once()
    {
        using var queue = new WorkQueue<string>("test", time: time);
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        queue.AddAfter("a", TimeSpan.FromMilliseconds(50));
        time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Equal("a", await queue.GetAsync(CancellationToken.None).WaitAsync(Wait));
        queue.Done("a");
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Shutdown_wakes_waiting_workers()
    {
        var queue = new WorkQueue<string>("test");
        var waiting = queue.GetAsync(CancellationToken.None);
        queue.ShutDown();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Wait));
        queue.Dispose();
    }

    [Fact]
    public async Task Rate_limited_adds_back_off_per_key_and_forget_resets()
    {
        var limiter = new ExponentialBackoffLimiter<string>(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        using var queue = new WorkQueue<string>("test", limiter, time);
        queue.AddRateLimited("a");
        queue.AddRateLimited("a");
        Assert.Equal(2, queue.Retries("a"));
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal("a", await queue.GetAsync(CancellationToken.None).WaitAsync(Wait));
        queue.Forget("a");
        Assert.Equal(0, queue.Retries("a"));
    }
}
