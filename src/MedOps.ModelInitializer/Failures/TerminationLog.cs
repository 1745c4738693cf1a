namespace MedOps.ModelInitializer.Failures;

/// <summary>Writes the termination message file that the kubelet copies into the pod's status.</summary>
internal static class TerminationLog
{
    /// <summary>
    /// Replaces the file's content with <paramref name="line"/> (no trailing newline: the kubelet
    /// would keep it in the status). Returns the error instead of throwing: a missing
    /// <c>/dev/termination-log</c> (a run outside Kubernetes) must not change the outcome.
    /// </summary>
    public static string? TryWrite(string path, string line)
    {
        try
        {
            File.WriteAllText(path, line);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return exception.Message;
        }
    }
}
