using System.Text.Json;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Runtime;

/// <summary>Direct handles on the local control plane's processes, for outage and compaction tests.</summary>
internal static class ControlPlane
{
    private static string EtcdEndpoint()
    {
        var ports = File.ReadAllLines(Path.Combine(RepositoryLayout.ClusterDirectory, "ports.env"))
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return "127.0.0.1:" + ports["ETCD_PORT"];
    }

    /// <summary>Compacts etcd at its current revision: every older resourceVersion is gone (410 on watch).</summary>
    public static async Task CompactEtcdAsync()
    {
        var status = await ProcessRunner.RunAsync("etcdctl", ["--endpoints", EtcdEndpoint(), "endpoint", "status", "-w", "json"], TimeSpan.FromSeconds(30));
        Assert.True(status.ExitCode == 0, status.Output);
        using var doc = JsonDocument.Parse(status.StandardOutput);
        var revision = doc.RootElement[0].GetProperty("Status").GetProperty("header").GetProperty("revision").GetInt64();
        var compact = await ProcessRunner.RunAsync("etcdctl", ["--endpoints", EtcdEndpoint(), "compact", revision.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(30));
        Assert.True(compact.ExitCode == 0, compact.Output);
    }

    /// <summary>Stops the kube-apiserver process (SIGTERM, then SIGKILL).</summary>
    public static async Task StopApiServerAsync()
    {
        var pidFile = Path.Combine(RepositoryLayout.ClusterDirectory, "pids", "kube-apiserver.pid");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts what is down again through the project's own script.</summary>
    public static async Task StartAsync()
    {
        var result = await ProcessRunner.RunAsync("bash", [Path.Combine(RepositoryLayout.Root, "hack", "cluster-up.sh")], TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, result.Output);
    }
}
