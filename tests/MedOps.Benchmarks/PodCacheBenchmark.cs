using System.Diagnostics;
using k8s;
using k8s.Models;
using MedOps.Controllers.MedicalModels.Builders;
using MedOps.Controllers.Shared;
using MedOps.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Benchmarks;

/// <summary>
/// What caching the pods of N models costs the operator: N model-server pods as the operator's
/// Deployments make them (initializer, server, probes, env, volumes, security contexts), created
/// in the real apiserver (never placed: no node matches them, so the scheduler adds its
/// condition), then cached by the shared pod informer untrimmed and with
/// <see cref="PodCacheTrim"/>: the managed heap per pod, both ways.
/// </summary>
internal static class PodCacheBenchmark
{
    private const int Concurrency = 32;

    public static async Task RunAsync(BenchmarkTable table, string kubeconfig, int count)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        using var admin = new Kubernetes(config);
        var ns = $"bench-pods-{Guid.NewGuid().ToString("N")[..6]}";
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        try
        {
            var create = Stopwatch.StartNew();
            await BenchHelpers.ForEachAsync(count, Concurrency, i => admin.CoreV1.CreateNamespacedPodAsync(ServerPod(i), ns));
            table.Add("pod cache", $"create {count:N0} model-server pods ({Concurrency} concurrent)", count / create.Elapsed.TotalSeconds, "pods/s", "never placed: no node matches them");

            // Both caches stay alive to the end, so neither's garbage counts against the other.
            using var stop = new CancellationTokenSource();
            var start = BenchHelpers.CollectedHeap();
            using var untrimmedManager = await StartCacheAsync(config, ns, trim: false, stop.Token);
            var afterUntrimmed = BenchHelpers.CollectedHeap();
            using var trimmedManager = await StartCacheAsync(config, ns, trim: true, stop.Token);
            var afterTrimmed = BenchHelpers.CollectedHeap();
            var untrimmed = afterUntrimmed - start;
            var trimmed = afterTrimmed - afterUntrimmed;
            GC.KeepAlive(untrimmedManager);
            GC.KeepAlive(trimmedManager);
            await stop.CancelAsync();
            table.Add("pod cache", $"managed heap, {count:N0} pods cached untrimmed", untrimmed / (1024.0 * 1024), "MiB", $"{untrimmed / count / 1024.0:N1} KiB per pod (managedFields stripped only: before)");
            table.Add("pod cache", $"managed heap, {count:N0} pods cached with PodCacheTrim", trimmed / (1024.0 * 1024), "MiB", $"{trimmed / count / 1024.0:N1} KiB per pod (what the operator keeps now)");
        }
        finally
        {
            await admin.CoreV1.DeleteNamespaceAsync(ns);
        }
    }

    private static async Task<Manager> StartCacheAsync(KubernetesClientConfiguration config, string ns, bool trim, CancellationToken stop)
    {
        var manager = new Manager(config, new ManagerOptions { WatchNamespace = ns }, NullLoggerFactory.Instance);
        var informer = manager.Informers.Get<V1Pod>(labelSelector: ChildMetadata.ManagedBySelector);
        if (trim)
        {
            informer.UseTransform(PodCacheTrim.Trim);
        }
        manager.StartCaches(stop);
        await manager.Informers.WaitForSyncAsync(CancellationToken.None);
        return manager;
    }

    // The pod template of a pinned model's Deployment, as a pod of its own.
    private static V1Pod ServerPod(int i)
    {
        var model = ConvergenceBenchmark.Model($"model-{i:D5}");
        model.Metadata.NamespaceProperty = "bench";
        model.Metadata.Uid = Guid.NewGuid().ToString();
        ResolvedModelSource.TryCreate(model.Spec.Source.Uri, "sha256:" + new string('a', 64), out var source, out _);
        var template = ModelDeploymentBuilder.Build(model, source!, new ModelServingDefaults("localhost/medops/model-initializer:0.1.0", [])).Spec.Template;
        template.Spec.NodeSelector = new Dictionary<string, string> { ["medops.io/bench"] = "no-such-node" };
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = $"model-{i:D5}-0", Labels = template.Metadata.Labels },
            Spec = template.Spec,
        };
    }

}
