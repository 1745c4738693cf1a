namespace MedOps.Operator;

/// <summary>The process exit codes, as controller-runtime based operators use them.</summary>
internal static class ExitCodes
{
    /// <summary>Stopped on request (SIGTERM) after releasing the Lease.</summary>
    public const int Success = 0;

    /// <summary>Could not start (kubeconfig, ports) or stopped by a failure, including a lost Lease.</summary>
    public const int Failure = 1;

    /// <summary>Bad flags or config file: the command line must be fixed.</summary>
    public const int Usage = 2;
}
