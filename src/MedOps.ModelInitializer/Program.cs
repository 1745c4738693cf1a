using System.Collections;
using System.Runtime.InteropServices;
using MedOps.ModelInitializer;

// medops-model-initializer fetch | digest <path>: the environment and stdout in, an exit code out.
using var cancel = new CancellationTokenSource();
// The kubelet stops a pod with SIGTERM: end the download and say so in the termination log.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
// Besides the explicit credentials and region: no look-up of the SDK may ask a metadata address.
Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
return await InitializerCommand.RunAsync(args, environment, Console.Out, cancellationToken: cancel.Token);
