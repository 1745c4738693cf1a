using System.Diagnostics;
using k8s;
using k8s.Models;
using MedOps.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Benchmarks;

/// <summary>
/// Informer cache cost against the real apiserver: time to LIST and sync N ConfigMaps (each
/// shaped like a small operator child: labels, annotations, owner reference, a few data keys)
/// and managed heap per cached object.
/// </summary>
internal static class CacheBenchmark
{
    public static async Task RunAsync(BenchmarkTable table, string kubeconfig, int count)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        using var admin = new Kubernetes(config);
        var ns = $"bench-cache-{Guid.NewGuid().ToString("N")[..6]}";
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        try
        {
            var create = Stopwatch.StartNew();
            await BenchHelpers.ForEachAsync(count, 32, i => admin.CoreV1.CreateNamespacedConfigMapAsync(Sample(i), ns));
            table.Add("cache", $"create {count:N0} ConfigMaps (32 concurrent)", count / create.Elapsed.TotalSeconds, "objects/s", "plain client, baseline of the apiserver");

            var before = BenchHelpers.CollectedHeap();
            using var manager = new Manager(config, new ManagerOptions { WatchNamespace = ns }, NullLoggerFactory.Instance);
            var informer = manager.Informers.Get<V1ConfigMap>();
            using var stop = new CancellationTokenSource();
            var sync = Stopwatch.StartNew();
            manager.StartCaches(stop.Token);
            await manager.Informers.WaitForSyncAsync(CancellationToken.None);
            var syncTime = sync.Elapsed;
            var after = BenchHelpers.CollectedHeap();
            GC.KeepAlive(informer);
            table.Add("cache", $"list+sync {count:N0} ConfigMaps", syncTime.TotalMilliseconds, "ms", $"{informer.Cache.Count:N0} cached");
            table.Add("cache", "managed heap per cached object", (after - before) / (double)count, "bytes", "managedFields stripped");
            stop.Cancel();
        }
        finally
        {
            await admin.CoreV1.DeleteNamespaceAsync(ns);
        }
    }

    private static V1ConfigMap Sample(int i) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"child-{i:D5}",
            Labels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/managed-by"] = "medops-operator",
                ["app.kubernetes.io/part-of"] = "medops",
                ["medops.io/medicalmodel"] = $"model-{i:D5}",
            },
            Annotations = new Dictionary<string, string> { ["medops.io/desired-hash"] = "0123456789abcdef" },
        },
        Data = new Dictionary<string, string> { ["model"] = $"model-{i:D5}", ["version"] = "1.4.0", ["uri"] = $"pvc://models/m{i}/1.4.0" },
    };
}
