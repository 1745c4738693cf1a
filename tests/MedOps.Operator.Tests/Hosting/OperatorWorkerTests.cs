using MedOps.Operator.Hosting;
using MedOps.Operator.LeaderElection;
using MedOps.Operator.Tests.TestSupport;
using MedOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Operator.Tests.Hosting;

public sealed class OperatorWorkerTests : IDisposable
{
    private readonly FakeLifetime lifetime = new();
    private readonly ControlledLeadership leadership = new();
    private readonly OperatorShutdown shutdown;

    public OperatorWorkerTests()
    {
        shutdown = new OperatorShutdown(lifetime);
        lifetime.MarkStarted();
    }

    public void Dispose() => lifetime.Dispose();

    [Fact]
    public async Task Components_that_need_no_leader_election_start_before_leadership_and_the_others_after()
    {
        var cache = new TestComponent("cache", needsLeaderElection: false);
        var controller = new TestComponent("controller");
        using var worker = Worker(cache, controller);

        await worker.StartAsync(CancellationToken.None);
        await cache.Started.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.False(controller.Started.IsCompleted);

        leadership.Grant();
        await controller.Started.WaitAsync(TimeSpan.FromSeconds(5));

        await worker.StopAsync(CancellationToken.None);
        await Task.WhenAll(cache.Stopped, controller.Stopped).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, shutdown.ExitCode);
        Assert.Equal(0, lifetime.StopRequests);
    }

    [Fact]
    public async Task A_lost_lease_stops_the_process_with_exit_code_1()
    {
        var controller = new TestComponent("controller");
        using var worker = Worker(controller);
        await worker.StartAsync(CancellationToken.None);
        leadership.Grant();
        await controller.Started.WaitAsync(TimeSpan.FromSeconds(5));

        leadership.Lose();

        await Eventually.WaitUntilAsync(() => lifetime.StopRequests == 1, TimeSpan.FromSeconds(5), "the worker stops the host");
        Assert.Equal(1, shutdown.ExitCode);
        await controller.Stopped.WaitAsync(TimeSpan.FromSeconds(5));
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failing_component_stops_the_process_with_exit_code_1()
    {
        var cache = new TestComponent("cache", needsLeaderElection: false, failWith: new InvalidOperationException("list failed"));
        using var worker = Worker(cache);

        await worker.StartAsync(CancellationToken.None);

        await Eventually.WaitUntilAsync(() => lifetime.StopRequests == 1, TimeSpan.FromSeconds(5), "the worker stops the host");
        Assert.Equal(1, shutdown.ExitCode);
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Nothing_runs_before_the_host_has_started_its_listeners()
    {
        using var notStarted = new FakeLifetime();
        var cache = new TestComponent("cache", needsLeaderElection: false);
        using var worker = new OperatorWorker([cache], leadership, new OperatorShutdown(notStarted), notStarted, NullLogger<OperatorWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(cache.Started.IsCompleted);

        notStarted.MarkStarted();
        await cache.Started.WaitAsync(TimeSpan.FromSeconds(5));
        await worker.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_stop_before_the_host_has_started_ends_the_worker_quietly()
    {
        using var notStarted = new FakeLifetime();
        var cache = new TestComponent("cache", needsLeaderElection: false);
        using var worker = new OperatorWorker([cache], leadership, new OperatorShutdown(notStarted), notStarted, NullLogger<OperatorWorker>.Instance);

        await worker.StartAsync(CancellationToken.None);
        await worker.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(cache.Started.IsCompleted);
        Assert.Equal(0, notStarted.StopRequests);
    }

    private OperatorWorker Worker(params IOperatorComponent[] components) =>
        new(components, leadership, shutdown, lifetime, NullLogger<OperatorWorker>.Instance);

    /// <summary>Leadership that the test grants and takes away.</summary>
    private sealed class ControlledLeadership : ILeadership
    {
        private readonly TaskCompletionSource granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsLeader => granted.Task.IsCompleted && !lost.Task.IsCompleted;

        public void Grant() => granted.TrySetResult();

        public void Lose() => lost.TrySetResult();

        public async Task RunWhileLeadingAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken)
        {
            await granted.Task.WaitAsync(stoppingToken);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var working = work(leading.Token);
            if (await Task.WhenAny(working, lost.Task) == lost.Task)
            {
                await leading.CancelAsync();
                throw new LeadershipLostException("leader election lost");
            }

            await working;
        }
    }
}
