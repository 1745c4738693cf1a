using MedOps.Runtime.Audit;

namespace MedOps.Cli;

/// <summary>Where the chain is read from: the cluster flags shared by every audit command.</summary>
/// <param name="Namespace">The audited namespace (the chain's name).</param>
/// <param name="AuditNamespace">The namespace holding the chain's ConfigMaps (the operator's).</param>
/// <param name="Kubeconfig">--kubeconfig, or null.</param>
/// <param name="Context">--context, or null for the kubeconfig's current context.</param>
internal sealed record ClusterFlags(string Namespace, string AuditNamespace, string? Kubeconfig, string? Context);

/// <summary>What the command line asks for.</summary>
internal abstract record CliCommand
{
    /// <summary>Print <paramref name="Text"/> to stdout and exit 0.</summary>
    internal sealed record ShowText(string Text) : CliCommand;

    /// <summary>Print <paramref name="Message"/> and a hint on stderr, exit 2.</summary>
    internal sealed record Invalid(string Message, string HelpCommand) : CliCommand;

    /// <summary><c>medops audit verify</c>.</summary>
    internal sealed record Verify(ClusterFlags Cluster, string? Head) : CliCommand;

    /// <summary><c>medops audit history</c>.</summary>
    internal sealed record History(ClusterFlags Cluster, string Kind, string Name) : CliCommand;
}

/// <summary>Parses <c>medops</c>'s arguments. Values go as <c>--flag value</c> or <c>--flag=value</c>.</summary>
internal static class CommandLine
{
    /// <summary>The default of --audit-namespace: where the chart installs the operator.</summary>
    public const string DefaultAuditNamespace = "medops-system";

    private static readonly string[] ClusterFlagNames = ["namespace", "audit-namespace", "kubeconfig", "context"];

    /// <summary>Parses the arguments.</summary>
    public static CliCommand Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return new CliCommand.Invalid("no command given", "medops --help");
        }
        if (IsHelp(args[0]))
        {
            return new CliCommand.ShowText(UsageText.Main);
        }
        if (args[0] == "--version")
        {
            return new CliCommand.ShowText($"medops {CliVersion.Current}\n");
        }
        if (args[0] != "audit")
        {
            return new CliCommand.Invalid($"unknown command \"{args[0]}\"", "medops --help");
        }
        if (args.Count == 1)
        {
            return new CliCommand.Invalid("audit needs a command: verify or history", "medops audit --help");
        }
        if (IsHelp(args[1]))
        {
            return new CliCommand.ShowText(UsageText.Audit);
        }
        return args[1] switch
        {
            "verify" => ParseVerify(args.Skip(2).ToList()),
            "history" => ParseHistory(args.Skip(2).ToList()),
            _ => new CliCommand.Invalid($"unknown audit command \"{args[1]}\"", "medops audit --help"),
        };
    }

    private static CliCommand ParseVerify(List<string> args)
    {
        const string help = "medops audit verify --help";
        if (args.Any(IsHelpFlag))
        {
            return new CliCommand.ShowText(UsageText.Verify);
        }
        if (!TryReadFlags(args, [.. ClusterFlagNames, "head"], out var flags, out var positional, out var error))
        {
            return new CliCommand.Invalid(error, help);
        }
        if (positional.Count > 0)
        {
            return new CliCommand.Invalid($"unexpected argument \"{positional[0]}\"", help);
        }
        if (!TryCluster(flags, out var cluster, out error))
        {
            return new CliCommand.Invalid(error, help);
        }
        var head = flags.GetValueOrDefault("head");
        if (head is not null && !IsHash(head))
        {
            return new CliCommand.Invalid($"--head \"{head}\" is not a record hash (64 hex digits)", help);
        }
        return new CliCommand.Verify(cluster, head?.ToLowerInvariant());
    }

    private static CliCommand ParseHistory(List<string> args)
    {
        const string help = "medops audit history --help";
        if (args.Any(IsHelpFlag))
        {
            return new CliCommand.ShowText(UsageText.History);
        }
        if (!TryReadFlags(args, ClusterFlagNames, out var flags, out var positional, out var error))
        {
            return new CliCommand.Invalid(error, help);
        }
        if (positional.Count != 1)
        {
            return new CliCommand.Invalid(positional.Count == 0 ? "history needs the object as <kind>/<name>" : $"unexpected argument \"{positional[1]}\"", help);
        }
        var slash = positional[0].IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == positional[0].Length - 1 || positional[0].IndexOf('/', slash + 1) >= 0)
        {
            return new CliCommand.Invalid($"\"{positional[0]}\" is not <kind>/<name> (for example medicalmodel/chest-xray)", help);
        }
        if (!TryCluster(flags, out var cluster, out error))
        {
            return new CliCommand.Invalid(error, help);
        }
        return new CliCommand.History(cluster, positional[0][..slash], positional[0][(slash + 1)..]);
    }

    private static bool TryCluster(Dictionary<string, string> flags, out ClusterFlags cluster, out string error)
    {
        cluster = null!;
        if (!flags.TryGetValue("namespace", out var ns))
        {
            error = "--namespace is required (the namespace whose audit trail to read)";
            return false;
        }
        if (!IsChainName(ns))
        {
            error = $"--namespace \"{ns}\" is not a namespace name";
            return false;
        }
        var auditNamespace = flags.GetValueOrDefault("audit-namespace", DefaultAuditNamespace);
        if (!IsChainName(auditNamespace) || auditNamespace == AuditStore.ClusterChain)
        {
            error = $"--audit-namespace \"{auditNamespace}\" is not a namespace name";
            return false;
        }
        cluster = new ClusterFlags(ns, auditNamespace, flags.GetValueOrDefault("kubeconfig"), flags.GetValueOrDefault("context"));
        error = "";
        return true;
    }

    private static bool TryReadFlags(List<string> args, string[] known, out Dictionary<string, string> flags, out List<string> positional, out string error)
    {
        flags = new Dictionary<string, string>(StringComparer.Ordinal);
        positional = [];
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "-n")
            {
                arg = "--namespace";
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (arg.StartsWith('-') && arg.Length > 1)
                {
                    error = $"unknown flag \"{arg}\"";
                    return false;
                }
                positional.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            if (!known.Contains(name))
            {
                error = $"unknown flag \"--{name}\"";
                return false;
            }
            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                error = $"--{name} needs a value";
                return false;
            }
            if (value.Length == 0)
            {
                error = $"--{name} needs a value";
                return false;
            }
            if (!flags.TryAdd(name, value))
            {
                error = $"--{name} is given twice";
                return false;
            }
        }
        return true;
    }

    private static bool IsHelp(string arg) => arg is "help" || IsHelpFlag(arg);

    private static bool IsHelpFlag(string arg) => arg is "--help" or "-h";

    private static bool IsHash(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigit);

    private static bool IsChainName(string name)
    {
        try
        {
            AuditStore.ChainToken(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
