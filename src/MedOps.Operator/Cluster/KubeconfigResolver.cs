using MedOps.Operator.Configuration;

namespace MedOps.Operator.Cluster;

/// <summary>
/// Chooses the kubeconfig in api.md's order: <c>--kubeconfig</c>, else <c>$KUBECONFIG</c>, else
/// <c>~/.kube/config</c>, else in-cluster, else a start-up error.
/// </summary>
internal static class KubeconfigResolver
{
    /// <summary>The environment variable kubectl and client-go read.</summary>
    public const string EnvironmentVariable = "KUBECONFIG";

    /// <summary>Resolves the source; throws <see cref="StartupException"/> when there is none.</summary>
    public static KubeconfigSource Resolve(string? flagPath, IStartupEnvironment environment)
    {
        if (!string.IsNullOrEmpty(flagPath))
        {
            // Named explicitly: use it even if missing, so that the error names the file the user gave.
            return new KubeconfigSource.File(flagPath, "--kubeconfig");
        }

        var fromVariable = FromEnvironmentVariable(environment);
        if (fromVariable is not null)
        {
            return fromVariable;
        }

        if (environment.HomeDirectory is { } home)
        {
            var homeConfig = Path.Combine(home, ".kube", "config");
            if (environment.FileExists(homeConfig))
            {
                return new KubeconfigSource.File(homeConfig, "~/.kube/config");
            }
        }

        if (environment.IsInCluster())
        {
            return new KubeconfigSource.InCluster();
        }

        throw new StartupException(
            "no kubeconfig: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account");
    }

    private static KubeconfigSource.File? FromEnvironmentVariable(IStartupEnvironment environment)
    {
        var value = environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        // KUBECONFIG may list several files (':' on Linux). kubectl merges them; we take the first
        // that exists, which covers the common single-file case. An explicit list where none exists
        // is an error about its first entry rather than a silent fall-through to another cluster.
        var paths = value.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (paths.Length == 0)
        {
            return null;
        }

        var chosen = paths.FirstOrDefault(environment.FileExists) ?? paths[0];
        return new KubeconfigSource.File(chosen, "$KUBECONFIG");
    }
}
