using MedOps.Operator.Hosting;

namespace MedOps.Operator.Tests.Hosting;

/// <summary>A component that records when it runs and can return early or fail.</summary>
internal sealed class TestComponent(string name, bool needsLeaderElection = true, bool returnAtOnce = false, Exception? failWith = null) : IOperatorComponent
{
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => name;

    public bool NeedsLeaderElection => needsLeaderElection;

    public Task Started => started.Task;

    public Task Stopped => stopped.Task;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        started.TrySetResult();
        try
        {
            if (failWith is not null)
            {
                throw failWith;
            }

            if (!returnAtOnce)
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
        }
        finally
        {
            stopped.TrySetResult();
        }
    }
}
