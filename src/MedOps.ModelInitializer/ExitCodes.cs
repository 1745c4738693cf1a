namespace MedOps.ModelInitializer;

/// <summary>The exit codes of <c>medops-model-initializer</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Fetched and verified; for <c>digest</c>: printed.</summary>
    public const int Success = 0;

    /// <summary>The fetch or the digest failed; the termination message says why.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;
}
