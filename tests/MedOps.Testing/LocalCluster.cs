using k8s;

namespace MedOps.Testing;

/// <summary>
/// The local control plane and node simulator, started (or reused) once per test run through
/// the project's own hack/cluster-up.sh. When the cluster cannot start, construction throws
/// with the script's output, so every test that needs it fails with the reason: never skips.
/// </summary>
public sealed class LocalCluster : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(25);

    /// <summary>Starts or reuses the cluster.</summary>
    public LocalCluster()
    {
        var script = Path.Combine(RepositoryLayout.Root, "hack", "cluster-up.sh");
        var result = ProcessRunner.RunAsync("bash", [script], StartTimeout).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The local control plane could not start (hack/cluster-up.sh exited {result.ExitCode}):\n{Tail(result.Output, 60)}");
        }
        KubeconfigPath = Path.Combine(RepositoryLayout.ClusterDirectory, "kubeconfig");
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath);
        Client = new Kubernetes(config);
    }

    /// <summary>The admin kubeconfig written by cluster-up.</summary>
    public string KubeconfigPath { get; }

    /// <summary>An admin client.</summary>
    public IKubernetes Client { get; }

    /// <summary>The apiserver's audit log (JSON lines, Metadata level).</summary>
    public string AuditLogPath => Path.Combine(RepositoryLayout.ClusterDirectory, "audit.log");

    /// <summary>Creates a fresh namespace for one test; disposing it deletes the namespace.</summary>
    public Task<TestNamespace> CreateNamespaceAsync(string prefix) => TestNamespace.CreateAsync(Client, prefix);

    /// <summary>Runs kubectl against the cluster.</summary>
    public Task<ProcessResult> KubectlAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(RepositoryLayout.Kubectl, ["--kubeconfig", KubeconfigPath, .. arguments], TimeSpan.FromMinutes(2));

    /// <summary>
    /// Runs kubectl as one of the cluster's people (alice, bob, carol: hack/cluster-up.sh gives
    /// each a token of their own, so the API server authenticates them as distinct users).
    /// Fails when the cluster was started by an older script without them.
    /// </summary>
    public Task<ProcessResult> KubectlAsUserAsync(string user, params string[] arguments)
    {
        var kubeconfig = Path.Combine(RepositoryLayout.ClusterDirectory, "users", user + ".kubeconfig");
        if (!File.Exists(kubeconfig))
        {
            throw new InvalidOperationException($"{kubeconfig} is missing: the local cluster was started without user {user}; run make cluster-down and start it again");
        }
        return ProcessRunner.RunAsync(RepositoryLayout.Kubectl, ["--kubeconfig", kubeconfig, .. arguments], TimeSpan.FromMinutes(2));
    }

    /// <summary>Leaves the cluster running: the next run reuses it, make test stops it.</summary>
    public void Dispose() => Client.Dispose();

    private static string Tail(string text, int lines) =>
        string.Join('\n', text.Split('\n').TakeLast(lines));
}
