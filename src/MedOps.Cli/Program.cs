using MedOps.Cli;

// medops audit verify|history: parse → connect (kubeconfig) → read the chain → print → exit code.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await CliApp.RunAsync(args, SystemCliEnvironment.Instance, Console.Out, Console.Error, ClusterConnection.Connect, cancel.Token);
