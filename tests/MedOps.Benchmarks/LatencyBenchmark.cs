using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Runtime.Api;

namespace MedOps.Benchmarks;

/// <summary>
/// Latency under a steady stream of new models: creates at a fixed rate, and for each model the
/// time from its creation to its Deployment existing and to its first status. Observed by
/// polling lists every 100 ms, so figures carry up to 100 ms of observation delay.
/// </summary>
internal static class LatencyBenchmark
{
    public static async Task RunAsync(BenchmarkTable table, string repoRoot, string clusterDir, int perSecond, TimeSpan duration)
    {
        var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(clusterDir, "kubeconfig")));
        var api = new KubeApi(admin);
        var ns = $"bench-latency-{Guid.NewGuid().ToString("N")[..6]}";
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var created = new ConcurrentDictionary<string, TimeSpan>();
        var deploymentSeen = new ConcurrentDictionary<string, TimeSpan>();
        var statusSeen = new ConcurrentDictionary<string, TimeSpan>();
        var clock = Stopwatch.StartNew();
        try
        {
            await using var op = OperatorUnderTest.Start(repoRoot, Path.Combine(clusterDir, "medops-dev.kubeconfig"), ns);
            await op.WaitReadyAsync(TimeSpan.FromSeconds(60));
            using var stopObserving = new CancellationTokenSource();
            var observer = Task.Run(() => ObserveAsync(admin, ns, deploymentSeen, statusSeen, clock, stopObserving.Token));

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
            await stopObserving.CancelAsync();
            await observer;

            Report(table, "create → Deployment exists", created, deploymentSeen, total);
            Report(table, "create → status written", created, statusSeen, total);
            table.Add("latency", "load", perSecond, "creates/s", $"for {duration.TotalSeconds:0} s ({total:N0} models)");
        }
        finally
        {
            await admin.CoreV1.DeleteNamespaceAsync(ns);
        }
    }

    private static void Report(BenchmarkTable table, string what, ConcurrentDictionary<string, TimeSpan> created, ConcurrentDictionary<string, TimeSpan> seen, int total)
    {
        var latencies = created.Where(c => seen.ContainsKey(c.Key)).Select(c => (seen[c.Key] - c.Value).TotalMilliseconds).Order().ToArray();
        if (latencies.Length == 0)
        {
            table.Add("latency", what, 0, "observed", "nothing observed");
            return;
        }
        table.Add("latency", $"{what}, p50", Percentile(latencies, 0.50), "ms", $"{latencies.Length:N0}/{total:N0} observed");
        table.Add("latency", $"{what}, p99", Percentile(latencies, 0.99), "ms", "target ≤ 1,000 ms");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task ObserveAsync(Kubernetes admin, string ns, ConcurrentDictionary<string, TimeSpan> deployments,
        ConcurrentDictionary<string, TimeSpan> statuses, Stopwatch clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var now = clock.Elapsed;
                foreach (var d in (await admin.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: stop)).Items)
                {
                    deployments.TryAdd(d.Metadata.Name, now);
                }
                var list = (JsonElement)await admin.CustomObjects.ListNamespacedCustomObjectAsync(GroupVersion.Group, GroupVersion.Version, ns, "medicalmodels", cancellationToken: stop);
                foreach (var m in list.GetProperty("items").EnumerateArray())
                {
                    if (m.TryGetProperty("status", out var s) && s.TryGetProperty("observedGeneration", out _))
                    {
                        statuses.TryAdd(m.GetProperty("metadata").GetProperty("name").GetString()!, now);
                    }
                }
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
