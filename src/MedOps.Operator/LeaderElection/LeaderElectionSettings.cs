using System.Net;
using MedOps.Operator.Configuration;

namespace MedOps.Operator.LeaderElection;

/// <summary>The Lease this process competes for, who it is, and the client-go timings.</summary>
/// <param name="Namespace">The Lease's namespace.</param>
/// <param name="LeaseName">The Lease's name.</param>
/// <param name="Identity">This process's holder identity: unique per process, readable by people.</param>
/// <param name="LeaseDuration">How long a Lease that is not renewed stays valid for the others.</param>
/// <param name="RenewDeadline">How long the leader may fail to renew before it stops leading; shorter than <paramref name="LeaseDuration"/>.</param>
/// <param name="RetryPeriod">The interval between acquire or renew attempts.</param>
internal sealed record LeaderElectionSettings(
    string Namespace,
    string LeaseName,
    string Identity,
    TimeSpan LeaseDuration,
    TimeSpan RenewDeadline,
    TimeSpan RetryPeriod)
{
    /// <summary>The settings for <paramref name="options"/>, with a fresh identity.</summary>
    public static LeaderElectionSettings From(OperatorOptions options) => new(
        options.LeaderElectionNamespace,
        OperatorOptions.LeaseName,
        NewIdentity(),
        options.LeaseDuration,
        options.RenewDeadline,
        options.RetryPeriod);

    /// <summary>
    /// <c>hostname_uuid</c>, as controller-runtime builds it: the host name (the pod name in a
    /// cluster) tells people who leads; the suffix keeps a restarted process from being mistaken
    /// for its predecessor, which could otherwise "renew" a Lease it never acquired.
    /// </summary>
    public static string NewIdentity() => $"{Dns.GetHostName()}_{Guid.NewGuid()}";
}
