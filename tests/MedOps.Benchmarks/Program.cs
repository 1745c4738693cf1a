using System.Globalization;
using System.Runtime.InteropServices;
using MedOps.Benchmarks;

// medops-bench --kubeconfig <file> [--objects N] [--out <markdown file>]
var kubeconfig = Arg("--kubeconfig") ?? throw new ArgumentException("--kubeconfig is required");
var objects = int.Parse(Arg("--objects") ?? "3000", CultureInfo.InvariantCulture);
var output = Arg("--out");

var table = new BenchmarkTable();
Console.WriteLine("running: work queue throughput");
await QueueBenchmark.RunAsync(table);
Console.WriteLine($"running: informer cache with {objects:N0} ConfigMaps against the local apiserver");
await CacheBenchmark.RunAsync(table, kubeconfig, objects);

var machine = $"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, Kubernetes 1.20.2 (local control plane), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
var markdown = table.ToMarkdown("MedOps runtime benchmarks", machine);
Console.WriteLine();
Console.WriteLine(markdown);
if (output is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    File.WriteAllText(output, markdown);
    Console.WriteLine($"written to {output}");
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
