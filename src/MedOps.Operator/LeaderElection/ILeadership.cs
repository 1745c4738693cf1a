namespace MedOps.Operator.LeaderElection;

/// <summary>
/// Runs work only while this process is the leader. With <c>--leader-elect</c> that means holding
/// the Lease <c>medops-operator</c>; without it the process leads from the start.
/// </summary>
public interface ILeadership
{
    /// <summary>True while this process may reconcile.</summary>
    bool IsLeader { get; }

    /// <summary>
    /// Waits until this process leads, then runs <paramref name="work"/>. The token given to the work
    /// is cancelled when <paramref name="stoppingToken"/> is (SIGTERM) or the Lease is lost. On a
    /// stop, the work is awaited and only then is the Lease released, so that a standby takes over
    /// within seconds and never overlaps with this process.
    /// </summary>
    /// <returns>A task that completes once the work has stopped and the Lease has been released.</returns>
    /// <exception cref="LeadershipLostException">The Lease was lost: the work has been cancelled and the process must exit non-zero at once.</exception>
    Task RunWhileLeadingAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken);
}
