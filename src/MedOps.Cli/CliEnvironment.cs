namespace MedOps.Cli;

/// <summary>What the command reads from the machine: injected so that kubeconfig resolution is testable.</summary>
internal interface ICliEnvironment
{
    /// <summary>The value of an environment variable, or null.</summary>
    string? GetEnvironmentVariable(string name);

    /// <summary>The user's home directory, or null.</summary>
    string? HomeDirectory { get; }

    /// <summary>Whether a regular file exists at <paramref name="path"/>.</summary>
    bool FileExists(string path);
}

/// <summary>The real machine.</summary>
internal sealed class SystemCliEnvironment : ICliEnvironment
{
    /// <summary>The one instance.</summary>
    public static SystemCliEnvironment Instance { get; } = new();

    /// <inheritdoc/>
    public string? HomeDirectory =>
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? home : null;

    /// <inheritdoc/>
    public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    /// <inheritdoc/>
    public bool FileExists(string path) => File.Exists(path);
}
