namespace MedOps.Operator.Configuration;

/// <summary>
/// The parts of the machine that start-up decisions read (files, environment variables, the home
/// directory, whether we run in a pod). Injected so that flag parsing and kubeconfig resolution
/// stay pure and unit-testable.
/// </summary>
internal interface IStartupEnvironment
{
    /// <summary>The value of an environment variable, or null when it is not set.</summary>
    string? GetEnvironmentVariable(string name);

    /// <summary>The user's home directory, or null when there is none (some containers).</summary>
    string? HomeDirectory { get; }

    /// <summary>Whether a regular file exists at <paramref name="path"/>.</summary>
    bool FileExists(string path);

    /// <summary>Reads a whole text file; throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.</summary>
    string ReadAllText(string path);

    /// <summary>Whether the process runs in a pod with a mounted service account token.</summary>
    bool IsInCluster();
}
