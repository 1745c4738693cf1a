using System.Runtime.InteropServices;
using k8s;
using MedOps.NodeSimulator;

// medops-node-simulator: see CommandLineParser.Usage and docs/node-simulator.md.
var parsed = CommandLineParser.Parse(args, Environment.GetEnvironmentVariable("KUBECONFIG"));
if (parsed.HelpRequested)
{
    Console.WriteLine(CommandLineParser.Usage);
    return 0;
}

if (parsed.CommandLine is not { } commandLine)
{
    Console.Error.WriteLine($"medops-node-simulator: {parsed.Error} (try --help)");
    return 2;
}

KubernetesClientConfiguration config;
try
{
    if (!File.Exists(commandLine.KubeconfigPath))
    {
        Console.Error.WriteLine($"medops-node-simulator: kubeconfig {commandLine.KubeconfigPath} does not exist");
        return 2;
    }

    config = KubernetesClientConfiguration.BuildConfigFromConfigFile(commandLine.KubeconfigPath);
}
catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
{
    Console.Error.WriteLine($"medops-node-simulator: cannot use kubeconfig {commandLine.KubeconfigPath}: {e.Message}");
    return 2;
}

using var client = new Kubernetes(config);
using var stopping = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    // Let RunAsync wind down and return; the process then exits 0.
    context.Cancel = true;
    stopping.Cancel();
}

using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

await new Simulator(client, commandLine.Options).RunAsync(stopping.Token);
return 0;
