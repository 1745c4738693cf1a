using System.Diagnostics;
using k8s;
using MedOps.Runtime.Api;

namespace MedOps.Benchmarks;

/// <summary>
/// Memory and start-up at scale: N MedicalModels (5,000 by default) with their children, the
/// operator's RSS and managed heap once they have converged, and the time a fresh operator
/// process takes to be ready with all of them present.
/// </summary>
internal static class ScaleBenchmark
{
    public static async Task RunAsync(BenchmarkTable table, string repoRoot, string clusterDir, int models)
    {
        var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(clusterDir, "kubeconfig")));
        var devKubeconfig = Path.Combine(clusterDir, "medops-dev.kubeconfig");
        var ns = await BenchNamespace.CreateAsync(admin, "bench-scale");
        try
        {
            await using (var op = OperatorUnderTest.Start(repoRoot, devKubeconfig, ns))
            {
                await op.WaitReadyAsync(TimeSpan.FromSeconds(60));
                var clock = Stopwatch.StartNew();
                await using var observer = await ConvergenceObserver.StartAsync(new KubeApi(admin), ns, clock);
                await ConvergenceBenchmark.CreateModelsAsync(admin, ns, models);
                await observer.WaitConvergedAsync(models, TimeSpan.FromMinutes(20));
                table.Add("scale", $"{models:N0} PHI models, operator", clock.Elapsed.TotalSeconds, "s", "create → children + status for the generation");
                // Let the burst's garbage go: the figure that matters is what the operator keeps.
                await Task.Delay(TimeSpan.FromSeconds(10));
                await ConvergenceBenchmark.ReportMemoryAsync(table, op, models);
            }
            await using (var fresh = OperatorUnderTest.Start(repoRoot, devKubeconfig, ns))
            {
                var ready = await fresh.WaitReadyAsync(TimeSpan.FromSeconds(180));
                table.AddWithTarget("startup", $"process start → /readyz with {models:N0} models present", ready.TotalSeconds, "s", 5);
            }
        }
        finally
        {
            // MEDOPS_BENCH_KEEP=1 keeps the models for profiling start-up by hand.
            if (Environment.GetEnvironmentVariable("MEDOPS_BENCH_KEEP") == "1")
            {
                Console.WriteLine($"kept namespace {ns}");
            }
            else
            {
                await BenchNamespace.DeleteAndWaitAsync(admin, ns, TimeSpan.FromMinutes(10));
            }
        }
    }
}
