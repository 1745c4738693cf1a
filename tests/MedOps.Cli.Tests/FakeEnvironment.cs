namespace MedOps.Cli.Tests;

internal sealed class FakeEnvironment : ICliEnvironment
{
    public Dictionary<string, string> Variables { get; } = [];

    public HashSet<string> Files { get; } = [];

    public string? HomeDirectory { get; set; } = "/home/alice";

    public string? GetEnvironmentVariable(string name) => Variables.GetValueOrDefault(name);

    public bool FileExists(string path) => Files.Contains(path);
}
