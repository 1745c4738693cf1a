using MedOps.IntegrationTests.Api;
using MedOps.IntegrationTests.Chart;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Admission;

/// <summary>
/// The chart installed with its admission webhook on, pointed (<c>webhook.url</c>) at operator
/// replicas run out of cluster on one loopback port as the chart's ServiceAccount, so the real
/// kube-apiserver calls the real webhook with exactly the chart's RBAC. Replicas share the port
/// (SO_REUSEPORT), as pods share a Service. Disposing kills the replicas and uninstalls the chart,
/// which removes the webhook configuration, so no later test meets it.
/// </summary>
internal sealed class WebhookTestBed : IAsyncDisposable
{
    private readonly LocalCluster cluster;
    private readonly List<OperatorProcess> replicas = [];
    private readonly List<string> files = [];
    private string kubeconfig = "";
    private string config = "";

    private WebhookTestBed(LocalCluster cluster, TestNamespace releaseNamespace, TestNamespace workloads)
    {
        this.cluster = cluster;
        ReleaseNamespace = releaseNamespace;
        Workloads = workloads;
        Release = ChartHelm.NewReleaseName("medops-wh");
        Port = OperatorProcess.FreePort();
    }

    /// <summary>The Helm release; also the name of the ValidatingWebhookConfiguration.</summary>
    public string Release { get; }

    /// <summary>The operator's namespace.</summary>
    public TestNamespace ReleaseNamespace { get; }

    /// <summary>The namespace the tests write MedOps resources in.</summary>
    public TestNamespace Workloads { get; }

    /// <summary>The webhook's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The Secret with the webhook's certificate.</summary>
    public string SecretName => $"{Release}-webhook-tls";

    /// <summary>The replicas started so far (killed ones included).</summary>
    public IReadOnlyList<OperatorProcess> Replicas => replicas;

    /// <summary>Installs the chart (webhook on) and starts <paramref name="replicaCount"/> ready replicas.</summary>
    public static async Task<WebhookTestBed> StartAsync(LocalCluster cluster, int replicaCount = 1)
    {
        var releaseNamespace = await cluster.CreateNamespaceAsync("medops-wh");
        var workloads = await cluster.CreateNamespaceAsync("wh-workloads");
        var bed = new WebhookTestBed(cluster, releaseNamespace, workloads);
        try
        {
            // Kubernetes 1.21+ labels every namespace with its name; 1.20 does not, so the test does,
            // and the chart's selector then leaves the operator's own namespace alone.
            foreach (var ns in new[] { releaseNamespace.Name, workloads.Name })
            {
                await bed.KubectlOkAsync("label", "namespace", ns, $"kubernetes.io/metadata.name={ns}", "--overwrite");
            }
            await MedOpsCrds.EnsureInstalledAsync(cluster);
            await ChartHelm.InstallAsync(cluster, bed.Release, releaseNamespace.Name,
                ["replicaCount=0", "crds.enabled=false", .. ChartHelm.OutOfClusterWebhookValues(bed.Port)]);
            bed.kubeconfig = await ChartHelm.WriteServiceAccountKubeconfigAsync(cluster, $"{bed.Release}-operator", releaseNamespace.Name);
            bed.config = await ChartHelm.WriteConfigFileAsync(cluster, bed.Release, releaseNamespace.Name);
            for (var i = 0; i < replicaCount; i++)
            {
                await bed.StartReplicaAsync();
            }
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more replica (leader election on, as the chart runs it) and waits until it is ready.</summary>
    public async Task<OperatorProcess> StartReplicaAsync()
    {
        var replica = OperatorProcess.StartWithKubeconfig(kubeconfig,
        [
            "--leader-elect", "--leader-election-namespace", ReleaseNamespace.Name, "--namespace", Workloads.Name, "--config", config,
            "--leader-election-lease-duration", "6s", "--leader-election-renew-deadline", "4s", "--leader-election-retry-period", "1s",
            .. ChartHelm.WebhookFlags(Release, ReleaseNamespace.Name, Port),
        ]);
        replicas.Add(replica);
        await replica.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return replica;
    }

    /// <summary>Writes <paramref name="yaml"/> to a file and runs <c>kubectl &lt;verb&gt; -f</c> on it in the workload namespace.</summary>
    public async Task<ProcessResult> KubectlYamlAsync(string yaml, params string[] arguments)
    {
        var path = Path.Combine(Path.GetTempPath(), $"medops-wh-{Guid.NewGuid():N}.yaml");
        files.Add(path);
        await File.WriteAllTextAsync(path, yaml);
        return await cluster.KubectlAsync(["-n", Workloads.Name, .. arguments, "-f", path]);
    }

    /// <summary><c>kubectl apply --dry-run=server</c> of <paramref name="yaml"/>, optionally as another user.</summary>
    public Task<ProcessResult> DryRunAsync(string yaml, string? asUser = null) =>
        KubectlYamlAsync(yaml, asUser is null ? ["apply", "--dry-run=server"] : ["apply", "--dry-run=server", $"--as={asUser}"]);

    /// <summary>Applies <paramref name="yaml"/> for real and fails the test when it is refused.</summary>
    public async Task ApplyOkAsync(string yaml)
    {
        var result = await KubectlYamlAsync(yaml, "apply");
        Assert.True(result.ExitCode == 0, $"kubectl apply was refused:\n{result.Output}\n{yaml}");
    }

    /// <summary>Runs kubectl and fails the test when it fails.</summary>
    public async Task<ProcessResult> KubectlOkAsync(params string[] arguments)
    {
        var result = await cluster.KubectlAsync(arguments);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} failed:\n{result.Output}");
        return result;
    }

    /// <summary>The last lines of every replica's log, for failure messages.</summary>
    public string Logs() => string.Join("\n", replicas.Select((r, i) => $"--- replica {i} (pid {r.Pid}{(r.HasExited ? ", exited" : "")}):\n{r.OutputTail(25)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
        await ChartHelm.UninstallQuietlyAsync(cluster, Release, ReleaseNamespace.Name);
        await Workloads.DisposeAsync();
        await ReleaseNamespace.DisposeAsync();
        foreach (var file in files)
        {
            File.Delete(file);
        }
    }
}
