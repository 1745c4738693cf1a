namespace MedOps.Operator.Hosting;

/// <summary>
/// A long-running part of the operator (a controller, a shared cache), registered in dependency
/// injection as <c>services.AddSingleton&lt;IOperatorComponent, X&gt;()</c>. Every registered
/// component is started by the host; one that throws stops the process with exit code 1, as a
/// failing runnable stops controller-runtime's manager.
/// </summary>
public interface IOperatorComponent
{
    /// <summary>A short name for logs, such as <c>medicalmodel-controller</c>.</summary>
    string Name { get; }

    /// <summary>
    /// True (the default) for components that write to the cluster: they run only while this process
    /// is the leader. Caches return false so that a standby's caches are warm when it takes over.
    /// </summary>
    bool NeedsLeaderElection => true;

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled; returning early is allowed.</summary>
    Task RunAsync(CancellationToken stoppingToken);
}
