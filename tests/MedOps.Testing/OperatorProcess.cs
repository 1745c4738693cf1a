using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MedOps.Testing;

/// <summary>
/// The built <c>medops-operator</c> run as a real process (<c>dotnet medops-operator.dll</c>) with
/// its HTTP endpoints on free loopback ports and its output captured; disposing it kills it.
/// Shared by the integration tests and the benchmarks.
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Queue<string> lines = new();
    private readonly int? keepLines;
    private volatile bool frozen;

    private OperatorProcess(Process process, int metricsPort, int healthPort, DateTime started, int? keepLines)
    {
        this.process = process;
        this.keepLines = keepLines;
        MetricsPort = metricsPort;
        HealthPort = healthPort;
        Started = started;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The operator's build output in the configuration the caller was built with.</summary>
    public static string Dll => RepositoryLayout.ProgramDll("MedOps.Operator", "medops-operator");

    /// <summary>The kubeconfig of the <c>medops-dev</c> identity that cluster-up writes (the operator's RBAC).</summary>
    public static string DevKubeconfig => Path.Combine(RepositoryLayout.ClusterDirectory, "medops-dev.kubeconfig");

    /// <summary>Port of <c>/metrics</c> on 127.0.0.1.</summary>
    public int MetricsPort { get; }

    /// <summary>Port of <c>/healthz</c> and <c>/readyz</c> on 127.0.0.1.</summary>
    public int HealthPort { get; }

    /// <summary>When the process was started (UTC), just before it was spawned.</summary>
    public DateTime Started { get; }

    /// <summary>The process id (it shows in the user agent, and /proc/&lt;pid&gt; has its RSS and CPU time).</summary>
    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>What the process printed on stdout and stderr so far, one line each (only the last lines when started with a limit).</summary>
    public string Output
    {
        get
        {
            lock (lines)
            {
                return string.Concat(lines.Select(line => line + Environment.NewLine));
            }
        }
    }

    /// <summary>
    /// Starts the operator from <see cref="Dll"/> with <paramref name="kubeconfigPath"/> (for example
    /// <see cref="DevKubeconfig"/>, or a kubeconfig holding a ServiceAccount token so that the
    /// process has exactly that RBAC) and the given extra flags; the bind addresses are added.
    /// Installs nothing: the caller provides the CRDs.
    /// </summary>
    public static OperatorProcess StartWithKubeconfig(string kubeconfigPath, params string[] flags) =>
        Start(Dll, kubeconfigPath, flags);

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/> --kubeconfig … --metrics-bind-address 127.0.0.1:… --health-probe-bind-address 127.0.0.1:…</c>
    /// followed by <paramref name="flags"/>. With <paramref name="keepLines"/>, <see cref="Output"/>
    /// holds only that many last lines, for long runs whose own memory is measured.
    /// </summary>
    public static OperatorProcess Start(string dll, string kubeconfigPath, IEnumerable<string> flags, int? keepLines = null)
    {
        var metrics = FreePort();
        // The kernel may hand the port just released to the next ask: the operator refuses two equal ports.
        var health = FreePort();
        while (health == metrics)
        {
            health = FreePort();
        }
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The runtime setting the image ships with (src/MedOps.Operator/Dockerfile), so that the
        // benchmarks measure the operator as it runs in its pod.
        var (gcName, gcValue) = ImageRuntimeEnvironment.Gen0Budget;
        info.Environment[gcName] = gcValue;
        string[] fixedArguments =
        [
            dll, "--kubeconfig", kubeconfigPath,
            "--metrics-bind-address", $"127.0.0.1:{metrics}", "--health-probe-bind-address", $"127.0.0.1:{health}",
        ];
        foreach (var argument in fixedArguments.Concat(flags))
        {
            info.ArgumentList.Add(argument);
        }
        var started = DateTime.UtcNow;
        return new OperatorProcess(Process.Start(info)!, metrics, health, started, keepLines);
    }

    /// <summary>
    /// Waits until <c>/readyz</c> answers 200 (caches synced and, with the webhook on, its
    /// certificate served); throws with the output's tail when the process exits or the time runs out.
    /// </summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HealthPort}/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the operator (pid {process.Id}) was not ready within {timeout.TotalSeconds:0}s{(process.HasExited ? " and exited" : "")}:\n{OutputTail(30)}");
    }

    /// <summary>A TCP port free on the loopback address right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The last <paramref name="count"/> lines of <see cref="Output"/>, for failure messages.</summary>
    public string OutputTail(int count)
    {
        lock (lines)
        {
            return string.Join('\n', lines.TakeLast(count));
        }
    }

    /// <summary>Sends SIGTERM, as the kubelet does on pod deletion.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends SIGKILL: no chance to release anything (its Lease, for one).</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>Freezes (SIGSTOP) or thaws (SIGCONT) the process, as a long GC pause or a partition would.</summary>
    public void Freeze()
    {
        frozen = true;
        Signal("STOP");
    }

    /// <inheritdoc cref="Freeze"/>
    public void Thaw()
    {
        Signal("CONT");
        frozen = false;
    }

    /// <summary>Waits for the process to exit and its output to be read.</summary>
    public Task WaitForExitAsync() => process.WaitForExitAsync();

    /// <summary>Waits for the process to exit, at most <paramref name="timeout"/>.</summary>
    public Task WaitForExitAsync(TimeSpan timeout) => process.WaitForExitAsync().WaitAsync(timeout);

    /// <summary>Kills the process if it still runs (thawing it first if frozen) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            if (frozen)
            {
                Thaw();
            }
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (lines)
        {
            lines.Enqueue(line);
            if (keepLines is { } max && lines.Count > max)
            {
                lines.Dequeue();
            }
        }
    }
}
