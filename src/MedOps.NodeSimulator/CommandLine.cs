using System.Globalization;

namespace MedOps.NodeSimulator;

/// <summary>The parsed command line: where the cluster is and what to simulate.</summary>
internal sealed record CommandLine(string KubeconfigPath, SimulatorOptions Options);

/// <summary>The outcome of parsing: a command line, a request for help, or one error line.</summary>
internal sealed record CommandLineResult(CommandLine? CommandLine, bool HelpRequested, string? Error);

/// <summary>
/// Parses <c>--flag value</c> and <c>--flag=value</c> arguments. Hand-written because the
/// simulator has seven flags and should not pull in a parsing library.
/// </summary>
internal static class CommandLineParser
{
    public const string Usage =
        "usage: medops-node-simulator --kubeconfig <path> [--cpu-nodes N (default 2)] " +
        "[--gpu-a100-nodes N (default 2)] [--gpu-t4-nodes N (default 1)] " +
        "[--startup-delay-ms N (default 500)] [--no-kubevirt] [--no-storage] [--host-path-root DIR]";

    public static CommandLineResult Parse(IReadOnlyList<string> args, string? kubeconfigFromEnvironment)
    {
        var options = new SimulatorOptions();
        string? kubeconfig = null;

        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = SplitFlag(args[i]);
            switch (name)
            {
                case "--help" or "-h":
                    return new CommandLineResult(null, true, null);
                case "--no-kubevirt":
                    if (inlineValue is not null)
                    {
                        return Fail("--no-kubevirt takes no value");
                    }

                    options = options with { InstallKubeVirtCrds = false };
                    continue;
                case "--no-storage":
                    if (inlineValue is not null)
                    {
                        return Fail("--no-storage takes no value");
                    }

                    options = options with { SimulateStorage = false };
                    continue;
                case "--kubeconfig" or "--cpu-nodes" or "--gpu-a100-nodes" or "--gpu-t4-nodes" or "--startup-delay-ms" or "--host-path-root":
                    break;
                default:
                    return Fail($"unknown argument '{args[i]}'");
            }

            var value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    return Fail($"{name} needs a value");
                }

                value = args[++i];
            }

            if (name == "--kubeconfig")
            {
                if (value.Length == 0)
                {
                    return Fail("--kubeconfig needs a path");
                }

                kubeconfig = value;
                continue;
            }

            if (name == "--host-path-root")
            {
                if (!value.StartsWith('/'))
                {
                    return Fail($"--host-path-root needs an absolute path, got '{value}'");
                }

                options = options with { HostPathRoot = value };
                continue;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return Fail($"{name} needs a whole number >= 0, got '{value}'");
            }

            options = name switch
            {
                "--cpu-nodes" => options with { CpuNodes = number },
                "--gpu-a100-nodes" => options with { GpuA100Nodes = number },
                "--gpu-t4-nodes" => options with { GpuT4Nodes = number },
                _ => options with { StartupDelay = TimeSpan.FromMilliseconds(number) },
            };
        }

        kubeconfig ??= string.IsNullOrEmpty(kubeconfigFromEnvironment) ? null : kubeconfigFromEnvironment;
        if (kubeconfig is null)
        {
            return Fail("--kubeconfig is required (or set KUBECONFIG)");
        }

        var problem = options.Validate();
        return problem is null
            ? new CommandLineResult(new CommandLine(kubeconfig, options), false, null)
            : Fail(problem);
    }

    private static (string Name, string? Value) SplitFlag(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0
            ? (arg[..equals], arg[(equals + 1)..])
            : (arg, null);
    }

    private static CommandLineResult Fail(string error) => new(null, false, error);
}
