namespace MedOps.Cli;

/// <summary>The exit codes of <c>medops</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Done; for verify: the chain is intact.</summary>
    public const int Success = 0;

    /// <summary>The chain is not intact (verify), or a record could not be read.</summary>
    public const int Broken = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The cluster could not be read: kubeconfig, connection, permissions.</summary>
    public const int ClusterUnreadable = 3;
}
