namespace MedOps.Operator.Hosting;

/// <summary>
/// The process's exit code and the way to stop on a failure. The host's own stop (SIGTERM) leaves
/// the code at 0; a lost Lease or a failed component sets 1 before stopping.
/// </summary>
internal sealed class OperatorShutdown(IHostApplicationLifetime lifetime)
{
    private int exitCode = ExitCodes.Success;

    /// <summary>The code <c>Main</c> returns once the host has stopped.</summary>
    public int ExitCode => Volatile.Read(ref exitCode);

    /// <summary>Marks the run as failed and stops the host without waiting for anything else.</summary>
    public void StopWithFailure()
    {
        Volatile.Write(ref exitCode, ExitCodes.Failure);
        lifetime.StopApplication();
    }
}
