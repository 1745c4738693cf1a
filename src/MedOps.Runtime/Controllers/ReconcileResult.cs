namespace MedOps.Runtime.Controllers;

/// <summary>What a reconcile asks of the controller next.</summary>
public abstract record ReconcileResult
{
    /// <summary>Desired state reached: nothing to do until something changes.</summary>
    public static readonly ReconcileResult Done = new DoneResult();

    /// <summary>Come back after <paramref name="delay"/> (a deadline, a TTL, progress to poll).</summary>
    public static ReconcileResult RequeueAfter(TimeSpan delay) => new RequeueAfterResult(delay);

    /// <summary>A problem a person must fix: no retry until the object (or a watched dependency) changes.</summary>
    public static ReconcileResult Terminal(string reason) => new TerminalResult(reason);

    /// <summary>See <see cref="Done"/>.</summary>
    public sealed record DoneResult : ReconcileResult;

    /// <summary>See <see cref="RequeueAfter"/>.</summary>
    public sealed record RequeueAfterResult(TimeSpan Delay) : ReconcileResult;

    /// <summary>See <see cref="Terminal"/>.</summary>
    public sealed record TerminalResult(string Reason) : ReconcileResult;
}

/// <summary>Brings one object's world to its desired state. Reads from caches; writes through the runtime's writers.</summary>
public interface IReconciler<in T>
{
    /// <summary>
    /// Reconciles <paramref name="obj"/>, the cached version. Throwing means a transient error:
    /// the key is retried with per-key exponential backoff.
    /// </summary>
    Task<ReconcileResult> ReconcileAsync(T obj, CancellationToken cancellationToken);
}
