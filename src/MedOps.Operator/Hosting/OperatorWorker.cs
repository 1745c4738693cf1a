using MedOps.Operator.LeaderElection;

namespace MedOps.Operator.Hosting;

/// <summary>
/// Runs the registered <see cref="IOperatorComponent"/>s: those that need leader election under
/// <see cref="ILeadership"/>, the others at once. A lost Lease or a failed component stops the
/// process with exit code 1.
/// </summary>
internal sealed class OperatorWorker(
    IEnumerable<IOperatorComponent> components,
    ILeadership leadership,
    OperatorShutdown shutdown,
    IHostApplicationLifetime lifetime,
    ILogger<OperatorWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The host starts hosted services before Kestrel binds its ports. Competing for the Lease
        // before the probe and metrics ports are bound could take the Lease and then exit on a
        // port conflict without releasing it, so wait until the whole host has started.
        if (!await HasStartedAsync(stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        var all = components.ToList();
        var everywhere = all.Where(component => !component.NeedsLeaderElection).ToList();
        var leaderOnly = all.Where(component => component.NeedsLeaderElection).ToList();

        // Supervised separately so that a failure on one side stops the process without waiting
        // for the other side to finish.
        await Task.WhenAll(
            SuperviseAsync(() => ComponentRunner.RunAsync(everywhere, logger, stoppingToken), stoppingToken),
            SuperviseAsync(() => leadership.RunWhileLeadingAsync(token => ComponentRunner.RunAsync(leaderOnly, logger, token), stoppingToken), stoppingToken))
            .ConfigureAwait(false);
    }

    private async Task<bool> HasStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task SuperviseAsync(Func<Task> run, CancellationToken stoppingToken)
    {
        try
        {
            await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // A graceful stop.
        }
        catch (LeadershipLostException exception)
        {
            logger.LogCritical("{Reason}; exiting", exception.Message);
            shutdown.StopWithFailure();
        }
        catch (Exception exception)
        {
            logger.LogCritical(exception, "Stopping: {Reason}", exception.Message);
            shutdown.StopWithFailure();
        }
    }
}
