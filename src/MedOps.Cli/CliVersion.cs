using System.Reflection;

namespace MedOps.Cli;

/// <summary>The command's version, as printed by <c>--version</c> and sent as the client's user agent.</summary>
internal static class CliVersion
{
    /// <summary>The informational version without the source revision suffix.</summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        var version = typeof(CliVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
