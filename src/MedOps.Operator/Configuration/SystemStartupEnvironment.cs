using k8s;

namespace MedOps.Operator.Configuration;

/// <summary>The real machine: <see cref="IStartupEnvironment"/> over the file system and process environment.</summary>
internal sealed class SystemStartupEnvironment : IStartupEnvironment
{
    /// <summary>The single instance; the type has no state.</summary>
    public static SystemStartupEnvironment Instance { get; } = new();

    private SystemStartupEnvironment()
    {
    }

    /// <inheritdoc />
    public string? HomeDirectory
    {
        get
        {
            // $HOME first, as kubectl does; the profile folder covers Windows.
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            return string.IsNullOrEmpty(home) ? null : home;
        }
    }

    /// <inheritdoc />
    public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    /// <inheritdoc />
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc />
    public string ReadAllText(string path) => File.ReadAllText(path);

    /// <inheritdoc />
    public bool IsInCluster() => KubernetesClientConfiguration.IsInCluster();
}
