using k8s;
using System.Diagnostics;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Operator;

/// <summary>
/// Two real operator processes on one Lease: only one leads; SIGKILL of the leader hands over
/// within lease duration + two retry periods; SIGTERM within seconds; a deposed leader stops.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LeaderElectionTests(LocalCluster cluster)
{
    // Shorter than the defaults (15 s / 10 s / 2 s) so the suite stays quick; same ratios.
    private static readonly string[] Timing =
        ["--leader-election-lease-duration", "6s", "--leader-election-renew-deadline", "4s", "--leader-election-retry-period", "1s"];

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Only_one_of_two_processes_leads_and_sigkill_of_the_leader_hands_over_within_lease_duration_plus_two_retries()
    {
        await using var ns = await cluster.CreateNamespaceAsync("op-kill");
        await using var first = await StartAsync(ns.Name);
        var leader = await WaitForHolderAsync(ns.Name, h => h.Length > 0, "a first leader");
        await using var second = await StartAsync(ns.Name);
        await Eventually.WaitUntilAsync(() => ReadyAsync(second), TimeSpan.FromSeconds(30), "the standby to be ready");
        Assert.Equal(leader, await HolderAsync(ns.Name));
        Assert.Equal(1, await MasterStatusAsync(first) + await MasterStatusAsync(second));

        var clock = Stopwatch.StartNew();
        first.Kill();
        var successor = await WaitForHolderAsync(ns.Name, h => h.Length > 0 && h != leader, "the standby to take over");
        var takeover = clock.Elapsed;

        Assert.NotEqual(leader, successor);
        // One extra retry period of slack: the standby only notices at its next poll.
        Assert.True(takeover <= LeaseDuration + (3 * RetryPeriod) + TimeSpan.FromSeconds(2), $"takeover took {takeover.TotalSeconds:0.0}s");
    }

    [Fact]
    public async Task Sigterm_releases_the_lease_and_the_standby_takes_over_within_seconds()
    {
        await using var ns = await cluster.CreateNamespaceAsync("op-term");
        await using var first = await StartAsync(ns.Name);
        var leader = await WaitForHolderAsync(ns.Name, h => h.Length > 0, "a first leader");
        await using var second = await StartAsync(ns.Name);
        await Eventually.WaitUntilAsync(() => ReadyAsync(second), TimeSpan.FromSeconds(30), "the standby to be ready");

        var clock = Stopwatch.StartNew();
        first.Terminate();
        await WaitForHolderAsync(ns.Name, h => h.Length > 0 && h != leader, "the standby to take over");
        var takeover = clock.Elapsed;
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, first.ExitCode);
        Assert.True(takeover < TimeSpan.FromSeconds(4), $"takeover after SIGTERM took {takeover.TotalSeconds:0.0}s");
    }

    [Fact]
    public async Task A_leader_frozen_past_its_lease_is_deposed_and_stops_when_it_wakes()
    {
        await using var ns = await cluster.CreateNamespaceAsync("op-freeze");
        await using var first = await StartAsync(ns.Name);
        var leader = await WaitForHolderAsync(ns.Name, h => h.Length > 0, "a first leader");
        await using var second = await StartAsync(ns.Name);
        await Eventually.WaitUntilAsync(() => ReadyAsync(second), TimeSpan.FromSeconds(30), "the standby to be ready");

        first.Freeze();
        var frozenAt = DateTime.UtcNow;
        var successor = await WaitForHolderAsync(ns.Name, h => h.Length > 0 && h != leader, "the standby to take over from the frozen leader");
        first.Thaw();

        // Losing the lease stops all work at once: the process exits (as controller-runtime's does).
        await first.WaitForExitAsync(TimeSpan.FromSeconds(15));
        Assert.NotEqual(0, first.ExitCode);
        Assert.Equal(successor, await HolderAsync(ns.Name));

        // The audit log (written in batches of up to a second) shows no write of the deposed
        // process that took effect after it was frozen: at most a refused renewal attempt.
        await AuditLogMarker.WaitForFlushAsync(cluster);
        var writes = AuditLog.Requests(cluster.AuditLogPath, "medops-dev", frozenAt, DateTime.UtcNow)
            .Where(r => r.UserAgent.Contains($"(pid {first.Pid})", StringComparison.Ordinal))
            .Where(r => r.Verb is "create" or "update" or "patch" or "delete" && r.Code is >= 200 and < 300)
            .ToList();
        Assert.True(writes.Count == 0, "writes by the deposed leader: " + string.Join(", ", writes.Select(w => $"{w.Verb} {w.Resource}/{w.Name} {w.Code}")));
    }

    private Task<OperatorProcess> StartAsync(string ns) =>
        cluster.StartOperatorAsync(["--leader-elect", "--leader-election-namespace", ns, "--namespace", ns, .. Timing]);

    private async Task<string> HolderAsync(string ns)
    {
        try
        {
            var lease = await cluster.Client.CoordinationV1.ReadNamespacedLeaseAsync("medops-operator", ns);
            return lease.Spec?.HolderIdentity ?? "";
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            return "";
        }
    }

    private Task<string> WaitForHolderAsync(string ns, Func<string, bool> condition, string because) =>
        Eventually.WaitForAsync(() => HolderAsync(ns), condition, TimeSpan.FromSeconds(60), because);

    private static async Task<bool> ReadyAsync(OperatorProcess op)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await http.GetAsync($"http://127.0.0.1:{op.HealthPort}/readyz")).IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<int> MasterStatusAsync(OperatorProcess op)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var text = await http.GetStringAsync($"http://127.0.0.1:{op.MetricsPort}/metrics");
        return text.Contains("leader_election_master_status{name=\"medops-operator\"} 1", StringComparison.Ordinal) ? 1 : 0;
    }
}
