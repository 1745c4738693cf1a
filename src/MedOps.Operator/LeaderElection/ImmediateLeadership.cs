namespace MedOps.Operator.LeaderElection;

/// <summary>Leadership without leader election (no <c>--leader-elect</c>): the work runs at once.</summary>
internal sealed class ImmediateLeadership : ILeadership
{
    /// <inheritdoc />
    public bool IsLeader => true;

    /// <inheritdoc />
    public async Task RunWhileLeadingAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        try
        {
            await work(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping on request is the normal way for the work to end.
        }
    }
}
