using MedOps.Operator;
using MedOps.Operator.Cluster;
using MedOps.Operator.Configuration;
using MedOps.Operator.Hosting;
using MedOps.Operator.Webhook;

// parse → resolve kubeconfig → build the manager (its client is the one client) → start HTTP → (leader election →) run components → exit.
var environment = SystemStartupEnvironment.Instance;
switch (CommandLineParser.Parse(args, environment))
{
    case ParsedCommandLine.ShowHelp:
        Console.Out.Write(UsageText.Build());
        return ExitCodes.Success;
    case ParsedCommandLine.ShowVersion:
        Console.Out.WriteLine($"medops-operator {OperatorVersion.Current}");
        return ExitCodes.Success;
    case ParsedCommandLine.Invalid invalid:
        Console.Error.WriteLine($"medops-operator: {invalid.Message}");
        return ExitCodes.Usage;
    case ParsedCommandLine.Run { Options: var options }:
        try
        {
            var source = KubeconfigResolver.Resolve(options.KubeconfigPath, environment);
            var config = KubernetesClientFactory.NameTheOperator(KubeconfigLoader.Load(source));
            // One client for everything: the manager's, which the host also uses for the lease.
            using var manager = await ControllerRuntimeRegistration.CreateManagerAsync(config, options);
            await using var app = OperatorHost.Build(options, manager.Client, environment, services => services.AddControllerRuntime(manager).AddAdmissionWebhook(manager, options));
            return await OperatorHost.RunAsync(app, options, source.Describe());
        }
        catch (StartupException exception)
        {
            Console.Error.WriteLine($"medops-operator: {exception.Message}");
            return ExitCodes.Failure;
        }

    default:
        throw new InvalidOperationException("unhandled command line result");
}
