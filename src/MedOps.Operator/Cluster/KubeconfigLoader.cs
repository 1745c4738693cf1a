using k8s;
using YamlDotNet.Core;

namespace MedOps.Operator.Cluster;

/// <summary>Loads a <see cref="KubeconfigSource"/> into a client configuration, turning every failure into one sentence.</summary>
internal static class KubeconfigLoader
{
    /// <summary>Loads the configuration; throws <see cref="StartupException"/> naming the file and the cause.</summary>
    public static KubernetesClientConfiguration Load(KubeconfigSource source)
    {
        try
        {
            return source switch
            {
                KubeconfigSource.File file when Directory.Exists(file.Path) =>
                    throw new StartupException($"cannot load kubeconfig \"{file.Path}\" (from {file.Origin}): it is a directory, not a file"),
                KubeconfigSource.File file when !File.Exists(file.Path) =>
                    throw new StartupException($"cannot load kubeconfig \"{file.Path}\" (from {file.Origin}): file not found"),
                KubeconfigSource.File file => LoadFile(file),
                _ => KubernetesClientConfiguration.InClusterConfig(),
            };
        }
        catch (StartupException)
        {
            throw;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            var what = source is KubeconfigSource.File file
                ? $"cannot load kubeconfig \"{file.Path}\" (from {file.Origin})"
                : "cannot load the in-cluster configuration";
            throw new StartupException($"{what}: {Cause(exception)}");
        }
    }

    private static KubernetesClientConfiguration LoadFile(KubeconfigSource.File file)
    {
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(file.Path);

        // A file without a server parses fine but would fail on the first request, far from the cause.
        return string.IsNullOrEmpty(configuration.Host)
            ? throw new StartupException($"cannot load kubeconfig \"{file.Path}\" (from {file.Origin}): the current context has no cluster server")
            : configuration;
    }

    private static string Cause(Exception exception)
    {
        // The client wraps YAML and file errors; the innermost message is the one a person can act on.
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            messages.Add(current is YamlException yaml ? $"line {yaml.Start.Line}, column {yaml.Start.Column}: {yaml.Message}" : current.Message);
        }

        var cause = messages.Count > 1 && messages[^1].Length > 0 ? $"{messages[0].TrimEnd('.')}: {messages[^1]}" : messages[0];
        return string.Join(' ', cause.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
    }
}
