namespace MedOps.Controllers.Shared;

/// <summary>
/// Reads the one line the model-initializer writes to its termination message:
/// <c>Verified: sha256:…</c> or <c>Computed: sha256:…</c> on success, <c>&lt;Reason&gt;: &lt;detail&gt;</c>
/// on failure (docs/model-initializer.md). Shared by the model servers' init container and the
/// TrainingJob's output-digest pod. Pure.
/// </summary>
public static class InitializerTermination
{
    private const string Sha256Prefix = "sha256:";

    // "sha256:" and 64 hex digits.
    private const int DigestLength = 71;

    private static readonly string[] SuccessPrefixes = ["Verified: ", "Computed: "];

    /// <summary>The digest of a success line, or null when <paramref name="message"/> is not one.</summary>
    public static string? Digest(string? message)
    {
        if (message is null)
        {
            return null;
        }
        foreach (var prefix in SuccessPrefixes)
        {
            if (message.StartsWith(prefix, StringComparison.Ordinal) && message[prefix.Length..].Trim() is { Length: DigestLength } digest
                && digest.StartsWith(Sha256Prefix, StringComparison.Ordinal) && digest[Sha256Prefix.Length..].All(IsLowerHex))
            {
                return digest;
            }
        }
        return null;
    }

    /// <summary>The reason word at the start of a failure line (<c>DigestMismatch</c>, …), or "" when there is none.</summary>
    public static string FailureCode(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && message[..colon].All(char.IsAsciiLetter) ? message[..colon] : "";
    }

    private static bool IsLowerHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f');
}
