using System.Runtime.ExceptionServices;
using MedOps.Operator.Telemetry;

namespace MedOps.Operator.LeaderElection;

/// <summary>
/// <see cref="ILeadership"/> with <c>--leader-elect</c>: acquire the Lease, run the work while
/// renewing it, cancel the work the moment renewal fails, and release the Lease after the work has
/// stopped on a graceful stop. Reports <c>leader_election_master_status</c>.
/// </summary>
internal sealed class LeaseLeadership(LeaseElector elector, LeaderElectionSettings settings, ILogger<LeaseLeadership> logger) : ILeadership
{
    /// <summary>
    /// How long a stop waits for the work before giving up on releasing the Lease. With
    /// <see cref="ReleaseTimeout"/> it stays below the host's 25 s shutdown timeout, itself below
    /// Kubernetes' default 30 s grace period.
    /// </summary>
    internal static readonly TimeSpan WorkStopTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long the release request may take; a failed release only delays the takeover.</summary>
    internal static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public bool IsLeader => elector.IsLeader;

    /// <inheritdoc />
    public async Task RunWhileLeadingAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        ReportStatus(leading: false);
        logger.LogInformation("Attempting to acquire leader lease {Namespace}/{Name} as {Identity}", settings.Namespace, settings.LeaseName, settings.Identity);
        try
        {
            await elector.AcquireAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        logger.LogInformation("Successfully acquired lease {Namespace}/{Name}", settings.Namespace, settings.LeaseName);
        ReportStatus(leading: true);

        // Two tokens: the work stops on a stop or a loss; renewal goes on until the work has
        // stopped, so that a slow wind-down never runs without the Lease.
        using var workStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var renewalStop = new CancellationTokenSource();
        var holding = elector.HoldAsync(renewalStop.Token);
        var working = Task.Run(() => work(workStop.Token), CancellationToken.None);

        if (await Task.WhenAny(holding, working).ConfigureAwait(false) == holding && !stoppingToken.IsCancellationRequested)
        {
            // Lost: stop every worker now and do not wait for them; the process exits next.
            ReportStatus(leading: false);
            await workStop.CancelAsync().ConfigureAwait(false);
            throw new LeadershipLostException($"leader election lost: lease {settings.Namespace}/{settings.LeaseName} is no longer held by {settings.Identity}");
        }

        await workStop.CancelAsync().ConfigureAwait(false);
        var (stopped, failure) = await WaitForWorkAsync(working, stoppingToken).ConfigureAwait(false);
        await renewalStop.CancelAsync().ConfigureAwait(false);
        try
        {
            await holding.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Renewal ends with the work.
        }

        if (stopped)
        {
            using var releaseTimeout = new CancellationTokenSource(ReleaseTimeout);
            await elector.ReleaseAsync(releaseTimeout.Token).ConfigureAwait(false);
        }
        else
        {
            // Releasing now could let a standby start while this work still writes: keep the
            // Lease unrenewed and let it expire instead.
            logger.LogError("Work did not stop within {Timeout}; not releasing lease {Namespace}/{Name}", WorkStopTimeout, settings.Namespace, settings.LeaseName);
        }

        ReportStatus(leading: false);
        failure?.Throw();
    }

    /// <summary>Waits for the cancelled work; reports whether it stopped and how it failed, if it did.</summary>
    private static async Task<(bool Stopped, ExceptionDispatchInfo? Failure)> WaitForWorkAsync(Task working, CancellationToken stoppingToken)
    {
        try
        {
            await working.WaitAsync(WorkStopTimeout, CancellationToken.None).ConfigureAwait(false);
            return (true, null);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return (true, null);
        }
        catch (TimeoutException)
        {
            return (false, null);
        }
        catch (Exception exception)
        {
            // The work has ended, so releasing is safe; the failure is rethrown afterwards.
            return (true, ExceptionDispatchInfo.Capture(exception));
        }
    }

    private void ReportStatus(bool leading) =>
        ControllerMetrics.LeaderElectionMasterStatus.Record(leading ? 1 : 0, new KeyValuePair<string, object?>(ControllerMetrics.Labels.Name, settings.LeaseName));
}
