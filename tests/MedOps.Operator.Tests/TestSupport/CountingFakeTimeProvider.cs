using MedOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MedOps.Operator.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers created on it. Every
/// <c>Task.Delay(…, TimeProvider, …)</c> creates one, so a test can wait until the code under test
/// is asleep on the clock before moving it: advancing earlier would move time past a sleep that
/// has not started yet, and that sleep would then never end.
/// </summary>
internal sealed class CountingFakeTimeProvider : FakeTimeProvider
{
    private int timersCreated;

    /// <summary>How many timers have been created on this clock so far.</summary>
    public int TimersCreated => Volatile.Read(ref timersCreated);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref timersCreated);
        return timer;
    }

    /// <summary>Waits (on the real clock) until at least <paramref name="count"/> timers have been created.</summary>
    public Task WaitForTimersAsync(int count) =>
        Eventually.WaitUntilAsync(() => TimersCreated >= count, TimeSpan.FromSeconds(5), $"{count} timers on the fake clock");

    /// <summary>Waits until at least <paramref name="timers"/> timers have been created, then advances the clock by <paramref name="by"/>.</summary>
    public async Task AdvanceOnceAsleepAsync(int timers, TimeSpan by)
    {
        await WaitForTimersAsync(timers);
        Advance(by);
    }
}
