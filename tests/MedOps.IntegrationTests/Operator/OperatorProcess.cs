using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Operator;

/// <summary>
/// The built <c>medops-operator</c> run as a real process against the local cluster, as identity
/// <c>medops-dev</c>, with its HTTP endpoints on free loopback ports.
/// </summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private OperatorProcess(Process process, int metricsPort, int healthPort)
    {
        this.process = process;
        MetricsPort = metricsPort;
        HealthPort = healthPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int MetricsPort { get; }

    public int HealthPort { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static string Dll => RepositoryLayout.ProgramDll("MedOps.Operator", "medops-operator");

    public static string DevKubeconfig => Path.Combine(RepositoryLayout.ClusterDirectory, "medops-dev.kubeconfig");

    /// <summary>
    /// Installs the MedOps CRDs if needed (the operator refuses to start without them), then
    /// starts the operator with the given extra flags (the kubeconfig and ports are added).
    /// </summary>
    public static async Task<OperatorProcess> StartAsync(LocalCluster cluster, params string[] flags)
    {
        await Api.MedOpsCrds.EnsureInstalledAsync(cluster);
        return Start(DevKubeconfig, flags);
    }

    /// <summary>
    /// Starts the operator with <paramref name="kubeconfigPath"/> instead of the <c>medops-dev</c>
    /// identity, for example a kubeconfig holding a token of the Helm chart's ServiceAccount, so that
    /// the process has exactly that RBAC. Installs nothing: the caller provides the CRDs.
    /// </summary>
    public static OperatorProcess StartWithKubeconfig(string kubeconfigPath, params string[] flags) =>
        Start(kubeconfigPath, flags);

    private static OperatorProcess Start(string kubeconfigPath, string[] flags)
    {
        var metrics = FreePort();
        var health = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Dll, "--kubeconfig", kubeconfigPath, "--metrics-bind-address", $"127.0.0.1:{metrics}", "--health-probe-bind-address", $"127.0.0.1:{health}" }.Concat(flags))
        {
            info.ArgumentList.Add(a);
        }
        return new OperatorProcess(Process.Start(info)!, metrics, health);
    }

    /// <summary>Sends SIGTERM, as the kubelet does on pod deletion.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends SIGKILL: no chance to release anything.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>Freezes (SIGSTOP) or thaws (SIGCONT) the process, as a long GC pause or a partition would.</summary>
    public void Freeze() => Signal("STOP");

    /// <inheritdoc cref="Freeze"/>
    public void Thaw() => Signal("CONT");

    public Task WaitForExitAsync(TimeSpan timeout) => process.WaitForExitAsync().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Thaw();
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
