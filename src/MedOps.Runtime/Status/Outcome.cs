namespace MedOps.Runtime.Status;

/// <summary>A reconcile's verdict on a resource: its <see cref="Status.Progress"/>, and the reason and message its conditions carry.</summary>
/// <param name="Progress">Where the resource stands.</param>
/// <param name="Reason">A CamelCase reason, the same on every condition it sets.</param>
/// <param name="Message">What the reason means here, for people.</param>
public sealed record Outcome(Progress Progress, string Reason, string Message)
{
    /// <summary>The desired state is reached.</summary>
    public static Outcome Done(string reason, string message) => new(Progress.Done, reason, message);

    /// <summary>Still working towards the spec.</summary>
    public static Outcome InProgress(string reason, string message) => new(Progress.InProgress, reason, message);

    /// <summary>A person must act.</summary>
    public static Outcome Stalled(string reason, string message) => new(Progress.Stalled, reason, message);

    /// <summary>Not ready on purpose, nothing to do.</summary>
    public static Outcome Idle(string reason, string message) => new(Progress.Idle, reason, message);
}
