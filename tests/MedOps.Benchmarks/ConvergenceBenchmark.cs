using System.Diagnostics;
using System.Text.Json;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels;
using MedOps.Controllers.MedicalModels.Builders;
using MedOps.Runtime.Api;
using MedOps.Testing;

namespace MedOps.Benchmarks;

/// <summary>
/// End-to-end scenarios against the local control plane: convergence of N MedicalModels as a
/// ratio to a baseline client doing the same writes, steady state from the audit log, operator
/// memory, and start-up time with N models present.
/// </summary>
internal static class ConvergenceBenchmark
{
    private const int CreateConcurrency = 32;

    /// <summary>Models converged over time in the operator's run, for the chart.</summary>
    public static IReadOnlyList<(double Seconds, int Converged)> OperatorCurve { get; private set; } = [];

    /// <summary>The same for the baseline client's run.</summary>
    public static IReadOnlyList<(double Seconds, int Converged)> BaselineCurve { get; private set; } = [];

    // The operator's default --max-concurrent-reconciles: the baseline gets the same parallelism.
    private const int WriteConcurrency = 4;

    public static async Task RunAsync(BenchmarkTable table, string repoRoot, string clusterDir, int models, TimeSpan idle, int rounds)
    {
        var admin = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(clusterDir, "kubeconfig")));
        var devKubeconfig = Path.Combine(clusterDir, "medops-dev.kubeconfig");

        // Round 1 measures everything; later rounds only the two convergence times, alternating,
        // because on 2 shared cores one run of either varies by ±20 %. Medians are compared.
        var (operatorTime, statusWritesPerModel) = await RunOperatorAsync(table, admin, repoRoot, clusterDir, devKubeconfig, models, idle);
        var operatorTimes = new List<TimeSpan> { operatorTime };
        var baselineTimes = new List<TimeSpan>();
        for (var round = 1; round <= rounds; round++)
        {
            if (round > 1)
            {
                operatorTimes.Add(await RunOperatorConvergenceOnlyAsync(admin, repoRoot, devKubeconfig, models));
            }
            var baselineNs = await BenchNamespace.CreateAsync(admin, "bench-baseline");
            try
            {
                baselineTimes.Add(await RunBaselineAsync(admin, baselineNs, models, statusWritesPerModel));
            }
            finally
            {
                await BenchNamespace.DeleteAndWaitAsync(admin, baselineNs, TimeSpan.FromMinutes(5));
            }
        }
        var operatorMedian = Median(operatorTimes);
        var baselineMedian = Median(baselineTimes);
        table.Add("convergence", $"{models:N0} PHI models, operator (median of {operatorTimes.Count})", operatorMedian.TotalSeconds, "s", $"runs: {Seconds(operatorTimes)}");
        table.Add("convergence", $"{models:N0} PHI models, baseline client (median of {baselineTimes.Count})", baselineMedian.TotalSeconds, "s",
            $"same creates and writes, {WriteConcurrency} writers; runs: {Seconds(baselineTimes)}");
        table.AddWithTarget("convergence", "operator time / baseline time", operatorMedian / baselineMedian, "×", 1.25, "medians");
    }

    // The full first round: convergence, CPU, memory, steady state, start-up and failover.
    private static async Task<(TimeSpan Time, int StatusWritesPerModel)> RunOperatorAsync(
        BenchmarkTable table, Kubernetes admin, string repoRoot, string clusterDir, string devKubeconfig, int models, TimeSpan idle)
    {
        var operatorNs = await BenchNamespace.CreateAsync(admin, "bench-operator");
        try
        {
            // 1. The operator: create the models at once, wait until each has its children and a status for its generation.
            TimeSpan operatorTime;
            int statusWrites;
            await using (var op = OperatorUnderTest.Start(repoRoot, devKubeconfig, operatorNs))
            {
                await op.WaitReadyAsync(TimeSpan.FromSeconds(60));
                await Task.Delay(TimeSpan.FromSeconds(2));
                table.Add("memory", "operator RSS idle (no models)", op.RssMiB(), "MiB", $"managed heap {await op.ManagedHeapMiBAsync():N1} MiB");
                var from = DateTime.UtcNow;
                var cpuBefore = op.CpuSeconds();
                var clock = Stopwatch.StartNew();
                await using (var observer = await ConvergenceObserver.StartAsync(new KubeApi(admin), operatorNs, clock))
                {
                    var start = clock.Elapsed;
                    await CreateModelsAsync(admin, operatorNs, models);
                    await observer.WaitConvergedAsync(models, TimeSpan.FromMinutes(10));
                    operatorTime = clock.Elapsed - start;
                    OperatorCurve = observer.ConvergenceCurve(start);
                }
                table.Add("convergence", "operator CPU time while converging (first run)", op.CpuSeconds() - cpuBefore, "s", $"of {operatorTime.TotalSeconds * Environment.ProcessorCount:N0} core-seconds available, shared with the control plane");
                var reconciles = await op.MetricAsync("controller_runtime_reconcile_total{controller=\"medicalmodel\"");
                table.Add("convergence", "MedicalModel reconciles per model", reconciles / models, "reconciles", "children's events included");
                await ReportMemoryAsync(table, op, models);

                // 3. Steady state: once every model has reached what it asks for (suspended, so
                // Ready), nothing but watches and the lease. Converged above means children and a
                // status for the generation; the controller-manager may still be rolling the
                // Deployments to zero, and each model's last status write follows that.
                await WaitAllReadyAsync(admin, operatorNs, models, TimeSpan.FromMinutes(5));
                var idleFrom = DateTime.UtcNow;
                await Task.Delay(idle);
                var idleTo = DateTime.UtcNow;
                await Task.Delay(TimeSpan.FromSeconds(3));
                var audit = Path.Combine(clusterDir, "audit.log");
                var requests = AuditLog.Requests(audit, "medops-dev", idleFrom, idleTo)
                    .Count(r => r.UserAgent.Contains($"(pid {op.Pid})", StringComparison.Ordinal) && r.Verb != "watch" && r.Resource != "leases");
                table.AddWithTarget("steady state", $"operator requests in {idle.TotalSeconds:0} s idle", requests, "requests", 0, "watches and lease renewals excluded");
                statusWrites = AuditLog.Requests(audit, "medops-dev", from, idleTo)
                    .Count(r => r.Namespace == operatorNs && r.Resource == "medicalmodels" && r.Subresource == "status" && r.Verb == "patch");
                table.Add("convergence", "operator status writes per model", statusWrites / (double)models, "writes", "until idle");
            }

            // 5. Start-up with the models present.
            await using (var second = OperatorUnderTest.Start(repoRoot, devKubeconfig, operatorNs))
            {
                var ready = await second.WaitReadyAsync(TimeSpan.FromSeconds(120));
                table.AddWithTarget("startup", $"process start → /readyz with {models:N0} models present", ready.TotalSeconds, "s", 5);
            }

            // 6. Failover with the models present.
            await FailoverBenchmark.RunAsync(table, repoRoot, clusterDir, operatorNs, models);
            return (operatorTime, Math.Max(1, (int)Math.Round(statusWrites / (double)models)));
        }
        finally
        {
            await BenchNamespace.DeleteAndWaitAsync(admin, operatorNs, TimeSpan.FromMinutes(5));
        }
    }

    private static async Task<TimeSpan> RunOperatorConvergenceOnlyAsync(Kubernetes admin, string repoRoot, string devKubeconfig, int models)
    {
        var ns = await BenchNamespace.CreateAsync(admin, "bench-operator");
        try
        {
            await using var op = OperatorUnderTest.Start(repoRoot, devKubeconfig, ns);
            await op.WaitReadyAsync(TimeSpan.FromSeconds(60));
            var clock = Stopwatch.StartNew();
            await using var observer = await ConvergenceObserver.StartAsync(new KubeApi(admin), ns, clock);
            var start = clock.Elapsed;
            await CreateModelsAsync(admin, ns, models);
            await observer.WaitConvergedAsync(models, TimeSpan.FromMinutes(10));
            return clock.Elapsed - start;
        }
        finally
        {
            await BenchNamespace.DeleteAndWaitAsync(admin, ns, TimeSpan.FromMinutes(5));
        }
    }

    private static TimeSpan Median(List<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Seconds(IEnumerable<TimeSpan> times) =>
        string.Join(", ", times.Select(t => t.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s"));

    /// <summary>RSS and managed heap after a full, compacting collection has had its chance (the steady state's).</summary>
    internal static async Task ReportMemoryAsync(BenchmarkTable table, OperatorUnderTest op, int models)
    {
        var rss = op.RssMiB();
        var heap = await op.ManagedHeapMiBAsync();
        var perModel = $"{rss * 1024 / models:N1} KiB per model incl. runtime";
        if (models >= 5000)
        {
            table.AddWithTarget("memory", $"operator RSS with {models:N0} models (and children) cached", rss, "MiB", 200, perModel);
        }
        else
        {
            table.Add("memory", $"operator RSS with {models:N0} models (and children) cached", rss, "MiB", perModel);
        }
        table.Add("memory", $"operator managed heap with {models:N0} models", heap, "MiB", $"after the last GC; {heap * 1024 / models:N1} KiB per model (model + 3 children cached)");
    }

    internal static V1Alpha1MedicalModel Model(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1Alpha1MedicalModelSpec
        {
            Modality = Modality.Imaging,
            Version = "1.0.0",
            DataClassification = DataClassification.PHI,
            Source = new ModelSource { Uri = $"pvc://models/{name}/1.0.0" },
            Runtime = new ModelRuntime { Image = "registry.example/medops/bench:1" },
            Resources = new ComputeResources { Cpu = "100m", Memory = "128Mi" },
            // No pods (suspended: a Deployment of 0 replicas): the benchmark measures the
            // operator's path to the apiserver, not the scheduler's or the simulated kubelets'.
            Suspend = true,
        },
    };

    // Polls (every 2 s: a list of 1,000 models is not free for the apiserver) until every model
    // in the namespace is Ready.
    private static async Task WaitAllReadyAsync(Kubernetes admin, string ns, int count, TimeSpan timeout)
    {
        var api = new KubeApi(admin);
        var deadline = DateTime.UtcNow + timeout;
        var ready = 0;
        while (DateTime.UtcNow < deadline)
        {
            // resourceVersion 0: served from the watch cache, as informers list.
            var list = await api.ListAsync<V1Alpha1MedicalModel>(ResourceType.For<V1Alpha1MedicalModel>(), ns, resourceVersion: "0");
            ready = list.Items.Count(m => m.Status?.ObservedGeneration == m.Metadata.Generation
                && m.Status?.Conditions?.Any(c => c.Type == ConditionTypes.Ready && c.Status == "True") == true);
            if (ready >= count)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        Console.WriteLine($"warning: only {ready}/{count} models were Ready after {timeout.TotalMinutes:0} min; the idle window starts anyway");
    }

    internal static async Task<List<V1Alpha1MedicalModel>> CreateModelsAsync(Kubernetes admin, string ns, int count)
    {
        var api = new KubeApi(admin);
        var type = ResourceType.For<V1Alpha1MedicalModel>();
        using var throttle = new SemaphoreSlim(CreateConcurrency);
        var created = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await throttle.WaitAsync();
            try
            {
                return await api.CreateAsync(type, ns, Model($"model-{i:D5}"));
            }
            finally
            {
                throttle.Release();
            }
        }));
        return [.. created];
    }

    private static async Task<TimeSpan> RunBaselineAsync(Kubernetes admin, string ns, int count, int statusWritesPerModel)
    {
        var api = new KubeApi(admin);
        var clock = Stopwatch.StartNew();
        // Observed the same way as the operator's run, so both times end by the same rule.
        await using var observer = await ConvergenceObserver.StartAsync(api, ns, clock);
        var start = clock.Elapsed;
        var created = await CreateModelsAsync(admin, ns, count);
        var defaults = new ModelServingDefaults("localhost/medops/model-initializer:0.1.0", []);
        using var throttle = new SemaphoreSlim(WriteConcurrency);
        await Task.WhenAll(created.Select(async model =>
        {
            await throttle.WaitAsync();
            try
            {
                ResolvedModelSource.TryCreate(model.Spec.Source.Uri, null, out var source, out _);
                var deployment = ModelDeploymentBuilder.Build(model, source!, defaults);
                await api.ApplyAsync(ResourceType.For<V1Deployment>(), ns, deployment.Metadata.Name, deployment, "medops-operator");
                var service = ModelServiceBuilder.Build(model);
                await api.ApplyAsync(ResourceType.For<V1Service>(), ns, service.Metadata.Name, service, "medops-operator");
                var policy = ModelNetworkPolicyBuilder.Build(model, [])!;
                await api.ApplyAsync(ResourceType.For<V1NetworkPolicy>(), ns, policy.Metadata.Name, policy, "medops-operator");
                for (var i = 0; i < statusWritesPerModel; i++)
                {
                    var status = MedicalModelStatusBuilder.Build(new ModelObservation
                    {
                        Model = model,
                        Deployment = deployment,
                        Source = new SourceResolution.Resolved(source!.Uri, null, null),
                        Now = DateTime.UtcNow,
                    });
                    await api.MergePatchAsync<JsonElement>(ResourceType.For<V1Alpha1MedicalModel>(), ns, model.Metadata.Name,
                        KubernetesJson.Serialize(new { status }), subresource: "status", fieldManager: "medops-operator");
                }
            }
            finally
            {
                throttle.Release();
            }
        }));
        await observer.WaitConvergedAsync(count, TimeSpan.FromMinutes(10));
        BaselineCurve = observer.ConvergenceCurve(start);
        return clock.Elapsed - start;
    }
}
