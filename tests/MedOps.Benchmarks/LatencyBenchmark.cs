using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;
using MedOps.Api.V1Alpha1;
using MedOps.Runtime.Api;

namespace MedOps.Benchmarks;

/// <summary>
/// Latency under a steady stream of new models: creates at a fixed rate, and for each model the
/// time from its creation to its Deployment existing and to its first status. Observed by
/// watches, so figures include the watch delivery delay (a few ms on this machine).
/// </summary>
internal static class LatencyBenchmark
{
    /// <summary>Create → Deployment latencies of the last run, in ms, for the chart.</summary>
    public static IReadOnlyList<double> DeploymentLatenciesMs { get; private set; } = [];

    /// <summary>Create → status latencies of the last run, in ms, for the chart.</summary>
    public static IReadOnlyList<double> StatusLatenciesMs { get; private set; } = [];

    public static async Task RunAsync(BenchmarkTable table, string repoRoot, string clusterDir, int perSecond, TimeSpan duration)
    {
        var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(clusterDir, "kubeconfig")));
        var api = new KubeApi(admin);
        var ns = await BenchNamespace.CreateAsync(admin, "bench-latency");
        var created = new ConcurrentDictionary<string, TimeSpan>();
        var clock = Stopwatch.StartNew();
        try
        {
            await using var op = OperatorUnderTest.Start(repoRoot, Path.Combine(clusterDir, "medops-dev.kubeconfig"), ns);
            await op.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await using var observer = await ConvergenceObserver.StartAsync(api, ns, clock);
            var deploymentSeen = observer.DeploymentSeen;
            var statusSeen = observer.StatusSeen;

            var total = (int)(perSecond * duration.TotalSeconds);
            var creates = new List<Task>();
            var start = clock.Elapsed;
            for (var i = 0; i < total; i++)
            {
                var due = start + TimeSpan.FromSeconds(i / (double)perSecond);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
                var name = $"lat-{i:D5}";
                creates.Add(Task.Run(async () =>
                {
                    // Measured from the moment the create is sent, so the create's own time counts against us.
                    var at = clock.Elapsed;
                    await api.CreateAsync(ResourceType.For<V1Alpha1MedicalModel>(), ns, ConvergenceBenchmark.Model(name));
                    created[name] = at;
                }));
            }
            await Task.WhenAll(creates);
            var deadline = clock.Elapsed + TimeSpan.FromSeconds(120);
            while ((statusSeen.Count < total || deploymentSeen.Count < total) && clock.Elapsed < deadline)
            {
                await Task.Delay(200);
            }

            DeploymentLatenciesMs = Report(table, "create → Deployment exists", created, deploymentSeen, total);
            StatusLatenciesMs = Report(table, "create → status written", created, statusSeen, total);
            table.Add("latency", "load", perSecond, "creates/s", $"for {duration.TotalSeconds:0} s ({total:N0} models)");
        }
        finally
        {
            await BenchNamespace.DeleteAndWaitAsync(admin, ns, TimeSpan.FromMinutes(5));
        }
    }

    private static double[] Report(BenchmarkTable table, string what, ConcurrentDictionary<string, TimeSpan> created, IReadOnlyDictionary<string, TimeSpan> seen, int total)
    {
        var latencies = created.Where(c => seen.ContainsKey(c.Key)).Select(c => (seen[c.Key] - c.Value).TotalMilliseconds).Order().ToArray();
        if (latencies.Length == 0)
        {
            table.Add("latency", what, 0, "observed", "nothing observed");
            return latencies;
        }
        table.Add("latency", $"{what}, p50", Percentile(latencies, 0.50), "ms", $"{latencies.Length:N0}/{total:N0} observed");
        table.AddWithTarget("latency", $"{what}, p99", Percentile(latencies, 0.99), "ms", 1000);
        return latencies;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
