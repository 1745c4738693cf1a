using System.Text.RegularExpressions;

namespace MedOps.Testing;

/// <summary>
/// The runtime environment the operator image sets, read from its Dockerfile (the one place it is
/// written, with its reason), for operator processes that should behave as the pod does.
/// </summary>
public static partial class ImageRuntimeEnvironment
{
    /// <summary>The operator's Dockerfile, relative to the repository root.</summary>
    public const string Dockerfile = "src/MedOps.Operator/Dockerfile";

    /// <summary>The GC's gen0 budget (<c>DOTNET_GCgen0size</c>): a setting the runtime reads from the environment only.</summary>
    public static (string Name, string Value) Gen0Budget { get; } = Read(Path.Combine(RepositoryLayout.Root, Dockerfile));

    /// <summary>The <c>DOTNET_GCgen0size</c> assignment in a Dockerfile's text.</summary>
    /// <exception cref="InvalidOperationException">The text sets none.</exception>
    public static (string Name, string Value) Parse(string dockerfile)
    {
        var match = Gen0Assignment().Match(dockerfile);
        return match.Success
            ? ("DOTNET_GCgen0size", match.Groups[1].Value)
            : throw new InvalidOperationException($"{Dockerfile} sets no DOTNET_GCgen0size");
    }

    private static (string Name, string Value) Read(string path) => Parse(File.ReadAllText(path));

    [GeneratedRegex(@"^\s*(?:ENV\s+)?DOTNET_GCgen0size=(0x[0-9a-fA-F]+)\b", RegexOptions.Multiline)]
    private static partial Regex Gen0Assignment();
}
