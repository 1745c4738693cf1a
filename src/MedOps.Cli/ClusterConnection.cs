using k8s;
using MedOps.Runtime.Api;
using MedOps.Runtime.Audit;

namespace MedOps.Cli;

/// <summary>Reads a namespace's audit chain.</summary>
internal interface IAuditSource
{
    /// <summary>Every retained record in stored order (see <see cref="AuditStore.ReadAsync"/>).</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAsync(string chainNamespace, CancellationToken cancellationToken);
}

/// <summary>The cluster could not be reached or read: exit 3 with <see cref="Exception.Message"/>.</summary>
internal sealed class ClusterUnreadableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Chooses the kubeconfig and builds the client the runtime expects.</summary>
internal static class ClusterConnection
{
    /// <summary>
    /// Picks the kubeconfig: <c>--kubeconfig</c>, else the first existing file of
    /// <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>; null means in-cluster (a pod's service
    /// account). Throws <see cref="ClusterUnreadableException"/> when there is none.
    /// </summary>
    public static (string? Path, string Origin) ResolveKubeconfig(string? flag, ICliEnvironment environment)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return (flag, "--kubeconfig");
        }
        var variable = environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(variable))
        {
            var paths = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (paths.Length > 0)
            {
                return (paths.FirstOrDefault(environment.FileExists) ?? paths[0], "$KUBECONFIG");
            }
        }
        if (environment.HomeDirectory is { } home && environment.FileExists(Path.Combine(home, ".kube", "config")))
        {
            return (Path.Combine(home, ".kube", "config"), "~/.kube/config");
        }
        if (!string.IsNullOrEmpty(environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")))
        {
            return (null, "in-cluster");
        }
        throw new ClusterUnreadableException("no kubeconfig: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config");
    }

    /// <summary>Connects to the cluster named by <paramref name="flags"/>; the audit store reads the chain.</summary>
    public static IAuditSource Connect(ClusterFlags flags, ICliEnvironment environment)
    {
        var (path, origin) = ResolveKubeconfig(flags.Kubeconfig, environment);
        KubernetesClientConfiguration configuration;
        try
        {
            if (path is not null && !environment.FileExists(path))
            {
                throw new ClusterUnreadableException($"cannot load kubeconfig \"{path}\" (from {origin}): file not found");
            }
            configuration = path is null
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile(path, currentContext: flags.Context);
        }
        catch (ClusterUnreadableException)
        {
            throw;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The client throws anything from a broken file (an empty one: NullReferenceException).
            throw new ClusterUnreadableException($"cannot load kubeconfig \"{path}\" (from {origin}): {(exception is NullReferenceException ? "it is empty or not a kubeconfig" : CliApp.OneLine(exception.Message))}", exception);
        }
        if (string.IsNullOrEmpty(configuration.Host))
        {
            throw new ClusterUnreadableException($"cannot load kubeconfig \"{path}\" (from {origin}): the context has no cluster server");
        }
        configuration.UserAgent = $"medops/{CliVersion.Current}";
        var client = new Kubernetes(configuration);
        var store = new AuditStore(new KubeApi(client, TimeSpan.FromSeconds(20)), new AuditStoreOptions(flags.AuditNamespace), TimeProvider.System);
        return new StoreSource(store);
    }

    private sealed class StoreSource(AuditStore store) : IAuditSource
    {
        public Task<IReadOnlyList<AuditRecord>> ReadAsync(string chainNamespace, CancellationToken cancellationToken) =>
            store.ReadAsync(chainNamespace, cancellationToken);
    }
}
