using MedOps.Testing;

namespace MedOps.IntegrationTests.Node;

/// <summary>
/// <c>make cluster-down</c> leaves the host as it was: a cluster of the test's own (a scratch
/// MEDOPS_CLUSTER_DIR, no simulator) starts its real node, runs a pod on it, and is stopped;
/// afterwards no process, iptables rule of the host, link, route, network namespace, mount,
/// cgroup, host sysctl or fixed-path file of that node is left. In the cluster collection, so
/// that no other test starts or stops pods meanwhile.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeTeardownTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Cluster_down_leaves_no_process_rule_link_route_mount_cgroup_or_sysctl_of_the_node_behind()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"medops-teardown-{Guid.NewGuid():N}");
        var env = new Dictionary<string, string> { ["MEDOPS_CLUSTER_DIR"] = dir, ["MEDOPS_SIMULATOR"] = "0" };
        var before = await HostStateAsync();
        try
        {
            var up = await RunAsync("hack/cluster-up.sh", env);
            Assert.True(up.ExitCode == 0, up.Output);
            var slot = (await File.ReadAllLinesAsync(Path.Combine(dir, "network.env"))).Single(l => l.StartsWith("NODE_SLOT=", StringComparison.Ordinal))[10..];
            var kubectl = new[] { "--kubeconfig", Path.Combine(dir, "kubeconfig") };
            var pod = await ProcessRunner.RunAsync(RepositoryLayout.Kubectl, [.. kubectl, "run", "sleeper", "--image=localhost/medops/pause:3.2",
                "--image-pull-policy=Never", "--overrides={\"spec\":{\"tolerations\":[{\"key\":\"medops.io/real-node\",\"operator\":\"Exists\"}]}}"], ScriptTimeout);
            Assert.True(pod.ExitCode == 0, pod.Output);
            var running = await ProcessRunner.RunAsync(RepositoryLayout.Kubectl, [.. kubectl, "wait", "--for=condition=Ready", "pod/sleeper", "--timeout=120s"], ScriptTimeout);
            Assert.True(running.ExitCode == 0, running.Output);
            var during = await HostStateAsync();
            Assert.Contains($"medops-{slot}", during.Links, StringComparison.Ordinal);
            Assert.Contains(dir, during.Processes, StringComparison.Ordinal);

            var down = await RunAsync("hack/cluster-down.sh", env);
            Assert.True(down.ExitCode == 0, down.Output);

            var after = await HostStateAsync();
            Assert.Equal(before.Links, after.Links);
            Assert.Equal(before.Routes, after.Routes);
            Assert.Equal(before.Namespaces, after.Namespaces);
            Assert.Equal(before.HostRules, after.HostRules);
            Assert.Equal(before.Sysctls, after.Sysctls);
            Assert.Equal(before.FixedPaths, after.FixedPaths);
            Assert.DoesNotContain(dir, after.Processes, StringComparison.Ordinal);
            Assert.DoesNotContain(dir, after.Mounts, StringComparison.Ordinal);
            Assert.DoesNotContain($"/medops-{slot}", after.Cgroups, StringComparison.Ordinal);
            Assert.False(Directory.Exists(dir), "cluster-down removes the cluster's folder");
        }
        finally
        {
            await RunAsync("hack/cluster-down.sh", env);
        }
    }

    private sealed record HostState(string Links, string Routes, string Namespaces, string HostRules, string Sysctls, string FixedPaths,
        string Processes, string Mounts, string Cgroups);

    // Host-wide state a node could leave behind. Other local clusters (the suite's own) keep
    // running meanwhile; their pods come and go, so their mounts and processes are not compared
    // whole: the scratch cluster's must be gone.
    private static async Task<HostState> HostStateAsync() => new(
        await ShAsync("ip -o link show | awk -F': ' '{print $2}' | sort"),
        await ShAsync("ip route show | sort"),
        await ShAsync("ip netns list | awk '{print $1}' | sort"),
        await ShAsync("iptables-save | grep -v '^#' | sed 's/\\[[0-9]*:[0-9]*\\]//'"),
        await ShAsync("for f in net/ipv4/ip_forward net/ipv4/conf/all/route_localnet net/ipv4/conf/all/forwarding; do echo $f=$(cat /proc/sys/$f); done"),
        await ShAsync("ls -d /var/log/pods /var/log/containers /var/lib/cni /var/lib/cni/results /run/containerd /run/containerd/s /opt/containerd /var/lib/kubelet /etc/cni 2>/dev/null; true"),
        await ShAsync("ps -eo args"),
        await ShAsync("cat /proc/self/mounts"),
        await ShAsync("ls -d /sys/fs/cgroup/*/medops-* 2>/dev/null; true"));

    private static async Task<string> ShAsync(string script)
    {
        var result = await ProcessRunner.RunAsync("bash", ["-c", script], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"{script}: {result.Output}");
        return result.StandardOutput;
    }

    private static Task<ProcessResult> RunAsync(string script, IDictionary<string, string> env) =>
        ProcessRunner.RunAsync("bash", [Path.Combine(RepositoryLayout.Root, script)], ScriptTimeout, env);
}
