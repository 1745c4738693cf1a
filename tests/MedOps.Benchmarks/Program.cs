using System.Globalization;
using System.Runtime.InteropServices;
using MedOps.Benchmarks;

// medops-bench --kubeconfig <file> [--scenarios queue,cache,podcache,audit,convergence,latency,scale] [--audit-records N] [--scale-models N] [--rounds N] [--operator <published medops-operator.dll>] [--objects N] [--models N (0 skips)] [--idle-seconds S] [--repo DIR] [--latency-rate N] [--latency-seconds S (0 skips)] [--out <markdown file>]
var kubeconfig = Arg("--kubeconfig") ?? throw new ArgumentException("--kubeconfig is required");
var objects = int.Parse(Arg("--objects") ?? "3000", CultureInfo.InvariantCulture);
var output = Arg("--out");
var models = int.Parse(Arg("--models") ?? "1000", CultureInfo.InvariantCulture);
var idleSeconds = int.Parse(Arg("--idle-seconds") ?? "60", CultureInfo.InvariantCulture);
var clusterDir = Path.GetDirectoryName(Path.GetFullPath(kubeconfig))!;
var repoRoot = Arg("--repo") ?? Directory.GetCurrentDirectory();
var rounds = int.Parse(Arg("--rounds") ?? "3", CultureInfo.InvariantCulture);
var scaleModels = int.Parse(Arg("--scale-models") ?? "5000", CultureInfo.InvariantCulture);
var latencyRate = int.Parse(Arg("--latency-rate") ?? "20", CultureInfo.InvariantCulture);
var latencySeconds = int.Parse(Arg("--latency-seconds") ?? "60", CultureInfo.InvariantCulture);

var auditRecords = int.Parse(Arg("--audit-records") ?? "1000", CultureInfo.InvariantCulture);

var scenarios = (Arg("--scenarios") ?? "queue,cache,podcache,audit,convergence,latency,scale").Split(',');
OperatorUnderTest.OperatorDll = Arg("--operator");
var table = new BenchmarkTable();
if (scenarios.Contains("queue"))
{
    Console.WriteLine("running: work queue throughput");
    await QueueBenchmark.RunAsync(table);
}
if (scenarios.Contains("cache"))
{
    Console.WriteLine($"running: informer cache with {objects:N0} ConfigMaps against the local apiserver");
    await CacheBenchmark.RunAsync(table, kubeconfig, objects);
}
if (scaleModels > 0 && scenarios.Contains("podcache"))
{
    Console.WriteLine($"running: the pods of {scaleModels:N0} models in the shared pod cache, untrimmed and trimmed");
    await PodCacheBenchmark.RunAsync(table, kubeconfig, scaleModels);
}
if (auditRecords > 0 && scenarios.Contains("audit"))
{
    Console.WriteLine($"running: audit trail, {auditRecords:N0} records appended to one chain");
    await AuditBenchmark.RunAsync(table, kubeconfig, auditRecords);
}
if (models > 0 && scenarios.Contains("convergence"))
{
    Console.WriteLine($"running: {models:N0} MedicalModels end to end (operator, steady state, memory, start-up, baseline)");
    await ConvergenceBenchmark.RunAsync(table, repoRoot, clusterDir, models, TimeSpan.FromSeconds(idleSeconds), rounds);
}
if (latencySeconds > 0 && scenarios.Contains("latency"))
{
    Console.WriteLine($"running: latency at {latencyRate} creates/s for {latencySeconds} s");
    await LatencyBenchmark.RunAsync(table, repoRoot, clusterDir, latencyRate, TimeSpan.FromSeconds(latencySeconds));
}
// Last: removing 5,000 models keeps the controller-manager's garbage collector busy for
// minutes after the namespace is gone, which showed in the latency tail when it ran first.
if (scaleModels > 0 && scenarios.Contains("scale"))
{
    Console.WriteLine($"running: memory and start-up with {scaleModels:N0} MedicalModels");
    await ScaleBenchmark.RunAsync(table, repoRoot, clusterDir, scaleModels);
}

var machine = $"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, Kubernetes 1.20.2 (local control plane), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
var footer = string.Join("\n\n", new[]
{
    ConvergenceBenchmark.OperatorCurve.Count > 0 ? "![Models converged over time, operator and baseline](convergence.png)" : "",
    LatencyBenchmark.DeploymentLatenciesMs.Count > 0 ? "![Latency distribution, create to Deployment and to status](latency.png)" : "",
    "How these figures were profiled and what changed because of it: [profile.md](profile.md).",
}.Where(line => line.Length > 0));
var markdown = table.ToMarkdown("MedOps runtime benchmarks", machine, footer);
Console.WriteLine();
Console.WriteLine(markdown);
if (output is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    File.WriteAllText(output, markdown);
    Console.WriteLine($"written to {output}");
    // Charts after the table: a machine without fonts then still keeps the figures.
    var folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
    if (ConvergenceBenchmark.OperatorCurve.Count > 0)
    {
        var png = Path.Combine(folder, "convergence.png");
        BenchmarkCharts.WriteConvergence(png, $"{models:N0} PHI MedicalModels: converged over time",
            [("operator (first, cold run)", ConvergenceBenchmark.OperatorCurve), ("baseline client, same writes (last run)", ConvergenceBenchmark.BaselineCurve)]);
        Console.WriteLine($"written to {png}");
    }
    if (LatencyBenchmark.DeploymentLatenciesMs.Count > 0)
    {
        var png = Path.Combine(folder, "latency.png");
        BenchmarkCharts.WriteLatencyCdf(png, $"Latency at {latencyRate} creates/s for {latencySeconds} s",
            [("create → Deployment", LatencyBenchmark.DeploymentLatenciesMs), ("create → status", LatencyBenchmark.StatusLatenciesMs)], targetMs: 1000);
        Console.WriteLine($"written to {png}");
    }
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
