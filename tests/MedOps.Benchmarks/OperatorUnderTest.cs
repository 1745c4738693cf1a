using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace MedOps.Benchmarks;

/// <summary>The published operator binary as a separate process, watching one namespace.</summary>
internal sealed class OperatorUnderTest : IAsyncDisposable
{
    // One client for every probe and scrape: the failover scenario polls every 25 ms.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly Process process;

    private OperatorUnderTest(Process process, int healthPort, int metricsPort, DateTime started)
    {
        this.process = process;
        HealthPort = healthPort;
        MetricsPort = metricsPort;
        Started = started;
    }

    public int HealthPort { get; }

    public int MetricsPort { get; }

    public DateTime Started { get; }

    public int Pid => process.Id;

    // The last lines the operator printed, to explain an early exit.
    private readonly Queue<string> lastLines = new();

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (lastLines)
        {
            lastLines.Enqueue(line);
            if (lastLines.Count > 5)
            {
                lastLines.Dequeue();
            }
        }
    }

    /// <summary>Extra operator flags for experiments, e.g. <c>MEDOPS_BENCH_OPERATOR_ARGS="--kube-api-qps 50"</c>.</summary>
    private static readonly string[] ExtraArgs =
        (Environment.GetEnvironmentVariable("MEDOPS_BENCH_OPERATOR_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The operator to run: <c>--operator</c> names a published <c>medops-operator.dll</c> (make
    /// bench publishes one ahead-of-time compiled, as the image ships it); else the build output.
    /// </summary>
    public static string? OperatorDll { get; set; }

    public static OperatorUnderTest Start(string repoRoot, string kubeconfig, string @namespace, params string[] args)
    {
        var health = FreePort();
        var metrics = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            OperatorDll ?? Path.Combine(repoRoot, "src/MedOps.Operator/bin/Release/net10.0/medops-operator.dll"),
            "--kubeconfig", kubeconfig, "--namespace", @namespace, "--metrics-bind-address", $"127.0.0.1:{metrics}",
            "--health-probe-bind-address", $"127.0.0.1:{health}",
        }.Concat(ExtraArgs).Concat(args))
        {
            info.ArgumentList.Add(a);
        }
        var started = DateTime.UtcNow;
        var process = Process.Start(info)!;
        var result = new OperatorUnderTest(process, health, metrics, started);
        process.OutputDataReceived += (_, e) => result.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => result.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits for /readyz to answer 200; returns the time since the process started.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                lock (lastLines)
                {
                    throw new InvalidOperationException($"the operator exited with code {process.ExitCode} before it was ready: {string.Join(" | ", lastLines)}");
                }
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
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
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
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>SIGKILL: the process gets no chance to release its Lease.</summary>
    public void Kill() => process.Kill();

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
