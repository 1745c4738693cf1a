namespace MedOps.Operator.LeaderElection;

/// <summary>
/// This process stopped holding the Lease while it was working (renewal failed past the renew
/// deadline, or another process took the Lease). As in controller-runtime, the only safe reaction
/// is to exit: another replica may already be reconciling.
/// </summary>
public sealed class LeadershipLostException(string message) : Exception(message);
