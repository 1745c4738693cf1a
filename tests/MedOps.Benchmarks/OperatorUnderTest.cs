using System.Diagnostics;
using System.Globalization;
using MedOps.Testing;

namespace MedOps.Benchmarks;

/// <summary>
/// The published operator binary as a separate process (<see cref="OperatorProcess"/>), watching
/// one namespace, with what the benchmarks read from it: readiness, metrics, RSS and CPU time.
/// </summary>
internal sealed class OperatorUnderTest : IAsyncDisposable
{
    // One client for every probe and scrape: the failover scenario polls every 25 ms.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>Extra operator flags for experiments, e.g. <c>MEDOPS_BENCH_OPERATOR_ARGS="--kube-api-qps 50"</c>.</summary>
    private static readonly string[] ExtraArgs =
        (Environment.GetEnvironmentVariable("MEDOPS_BENCH_OPERATOR_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private readonly OperatorProcess process;

    private OperatorUnderTest(OperatorProcess process) => this.process = process;

    public int HealthPort => process.HealthPort;

    public int MetricsPort => process.MetricsPort;

    public DateTime Started => process.Started;

    public int Pid => process.Pid;

    /// <summary>
    /// The operator to run: <c>--operator</c> names a published <c>medops-operator.dll</c> (make
    /// bench publishes one ahead-of-time compiled, as the image ships it); else the build output.
    /// </summary>
    public static string? OperatorDll { get; set; }

    public static OperatorUnderTest Start(string repoRoot, string kubeconfig, string @namespace, params string[] args) =>
        // Only the last lines are kept (to explain an early exit): the benchmark measures its own heap too.
        new(OperatorProcess.Start(
            OperatorDll ?? Path.Combine(repoRoot, "src/MedOps.Operator/bin/Release/net10.0/medops-operator.dll"),
            kubeconfig,
            ["--namespace", @namespace, .. ExtraArgs, .. args],
            keepLines: 5));

    /// <summary>Waits for /readyz to answer 200; returns the time since the process started.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new InvalidOperationException(
                    $"the operator exited with code {process.ExitCode} before it was ready: {process.OutputTail(5).Replace("\n", " | ", StringComparison.Ordinal)}");
            }
            try
            {
                using var response = await Http.GetAsync($"http://127.0.0.1:{HealthPort}/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return DateTime.UtcNow - Started;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("the operator did not become ready");
    }

    /// <summary>
    /// The sum of the Prometheus samples whose series starts with <paramref name="series"/>
    /// (name plus, optionally, the start of its labels), scraped from the operator's /metrics.
    /// </summary>
    public async Task<double> MetricAsync(string series)
    {
        var text = await Http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith(series, StringComparison.Ordinal))
            .Sum(SampleValue);
    }

    // "name{labels} value [timestamp]": the value is the first field after the series.
    private static double SampleValue(string line)
    {
        var afterSeries = line.Contains('}', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..] : line[line.IndexOf(' ', StringComparison.Ordinal)..];
        return double.Parse(afterSeries.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Managed heap after the last GC, in MiB (the runtime's own meter, summed over generations).</summary>
    public async Task<double> ManagedHeapMiBAsync() =>
        await MetricAsync("dotnet_gc_last_collection_heap_size_bytes") / (1 << 20);

    /// <summary>Resident set size in MiB, from /proc.</summary>
    public double RssMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return double.NaN;
    }

    /// <summary>User plus system CPU time the process has used so far, from /proc (clock ticks of 10 ms).</summary>
    public double CpuSeconds()
    {
        // Fields after the command name, which is in parentheses and may contain spaces.
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>SIGKILL: the process gets no chance to release its Lease.</summary>
    public void Kill() => process.Kill();

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
