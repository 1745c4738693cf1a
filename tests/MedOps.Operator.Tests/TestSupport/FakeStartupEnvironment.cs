using MedOps.Operator.Configuration;

namespace MedOps.Operator.Tests.TestSupport;

/// <summary>An in-memory machine: files, environment variables, home directory and in-cluster flag.</summary>
internal sealed class FakeStartupEnvironment : IStartupEnvironment
{
    public Dictionary<string, string> Files { get; } = [];

    public Dictionary<string, string> Variables { get; } = [];

    public HashSet<string> UnreadableFiles { get; } = [];

    public string? HomeDirectory { get; set; } = "/home/dev";

    public bool InCluster { get; set; }

    public string? GetEnvironmentVariable(string name) => Variables.GetValueOrDefault(name);

    public bool FileExists(string path) => Files.ContainsKey(path) || UnreadableFiles.Contains(path);

    public string ReadAllText(string path)
    {
        if (UnreadableFiles.Contains(path))
        {
            throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
        }

        return Files.TryGetValue(path, out var text) ? text : throw new FileNotFoundException($"Could not find file '{path}'.", path);
    }

    public bool IsInCluster() => InCluster;
}
