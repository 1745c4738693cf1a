using System.Diagnostics;
using MedOps.Testing;

namespace MedOps.Benchmarks;

/// <summary>
/// Failover with N models present: two operator processes with leader election, the leader is
/// SIGKILLed (no Lease release), and the clock runs until the standby's first reconcile and
/// until it has reconciled every model. Observed on the standby's /metrics every 25 ms.
/// </summary>
internal static class FailoverBenchmark
{
    private const string Reconciles = "controller_runtime_reconcile_total{controller=\"medicalmodel\"";

    // How long the set-up before the kill may take (leadership, the leader's first pass).
    private static readonly TimeSpan Preconditions = TimeSpan.FromMinutes(2);

    public static async Task RunAsync(BenchmarkTable table, string repoRoot, string clusterDir, string @namespace, int models)
    {
        // The admin kubeconfig: the Lease lives in the benchmark's namespace, and RBAC is not what is measured here.
        var kubeconfig = Path.Combine(clusterDir, "kubeconfig");
        string[] election = ["--leader-elect", "--leader-election-namespace", @namespace];
        await using var leader = OperatorUnderTest.Start(repoRoot, kubeconfig, @namespace, election);
        await leader.WaitReadyAsync(TimeSpan.FromSeconds(60));
        await Eventually.WaitUntilAsync(async () => await leader.MetricAsync("leader_election_master_status") >= 1, Preconditions, "the first replica to lead");
        await using var standby = OperatorUnderTest.Start(repoRoot, kubeconfig, @namespace, election);
        await standby.WaitReadyAsync(TimeSpan.FromSeconds(60));
        // The leader's start-up pass over every model is over: the cluster is quiet when the kill comes.
        await Eventually.WaitUntilAsync(async () => await leader.MetricAsync(Reconciles) >= models, Preconditions, "the leader's first pass over the models");
        await Task.Delay(TimeSpan.FromSeconds(3));
        if (await standby.MetricAsync(Reconciles) > 0)
        {
            throw new InvalidOperationException("the standby reconciled while the leader was alive");
        }

        var clock = Stopwatch.StartNew();
        leader.Kill();
        TimeSpan? first = null;
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var done = await standby.MetricAsync(Reconciles);
            if (done > 0 && first is null)
            {
                first = clock.Elapsed;
            }
            if (done >= models)
            {
                table.Add("failover", $"leader SIGKILL → first reconcile by the new leader ({models:N0} models)", first!.Value.TotalSeconds, "s",
                    "lease 15 s, renew deadline 10 s, retry 2 s (controller-runtime's defaults)");
                table.Add("failover", "leader SIGKILL → every model reconciled by the new leader", clock.Elapsed.TotalSeconds, "s", "caches were warm on the standby");
                return;
            }
            await Task.Delay(25);
        }
        throw new TimeoutException("the standby did not take over within 2 minutes");
    }
}
