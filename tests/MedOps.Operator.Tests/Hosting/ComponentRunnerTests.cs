using MedOps.Operator.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Operator.Tests.Hosting;

public sealed class ComponentRunnerTests
{
    [Fact]
    public async Task Runs_every_component_until_the_stop()
    {
        var a = new TestComponent("a");
        var b = new TestComponent("b");
        using var stop = new CancellationTokenSource();

        var running = ComponentRunner.RunAsync([a, b], NullLogger.Instance, stop.Token);
        await Task.WhenAll(a.Started, b.Started).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(running.IsCompleted);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_component_that_returns_early_does_not_end_the_run()
    {
        var done = new TestComponent("one-shot", returnAtOnce: true);
        using var stop = new CancellationTokenSource();

        var running = ComponentRunner.RunAsync([done], NullLogger.Instance, stop.Token);
        await done.Started.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.False(running.IsCompleted);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_first_failure_surfaces_at_once_while_others_still_run()
    {
        var healthy = new TestComponent("healthy");
        var failing = new TestComponent("failing", failWith: new InvalidOperationException("watch broke"));

        var error = await Assert.ThrowsAsync<ComponentFailedException>(
            () => ComponentRunner.RunAsync([healthy, failing], NullLogger.Instance, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.Equal("component failing failed: watch broke", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public async Task With_no_components_the_run_lasts_until_the_stop()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await ComponentRunner.RunAsync([], NullLogger.Instance, stop.Token).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(stop.IsCancellationRequested);
    }
}
