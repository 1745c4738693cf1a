using System.Text;

namespace MedOps.ModelInitializer.Failures;

/// <summary>
/// The one line written to <c>TERMINATION_LOG</c>: <c>&lt;Reason&gt;: &lt;detail&gt;</c> on failure,
/// <c>Verified: sha256:…</c> or <c>Computed: sha256:…</c> on success.
/// </summary>
internal static class TerminationMessage
{
    /// <summary>The kubelet reads at most this many bytes of a termination message.</summary>
    public const int MaxBytes = 4096;

    /// <summary>The line for a failure.</summary>
    public static string Failure(FetchFailure failure) => OneLine($"{failure.Reason}: {failure.Detail}");

    /// <summary>The line for a success: <c>Verified</c> when the digest was pinned, else <c>Computed</c>.</summary>
    public static string Success(string digest, bool pinned) => $"{(pinned ? "Verified" : "Computed")}: {digest}";

    /// <summary>
    /// Joins lines into one and cuts it to <see cref="MaxBytes"/> of UTF-8 on a character
    /// boundary, so that the reason at its start always survives.
    /// </summary>
    public static string OneLine(string message)
    {
        var line = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (Encoding.UTF8.GetByteCount(line) <= MaxBytes)
        {
            return line;
        }
        const string ellipsis = "…";
        var budget = MaxBytes - Encoding.UTF8.GetByteCount(ellipsis);
        var builder = new StringBuilder();
        var used = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            used += rune.Utf8SequenceLength;
            if (used > budget)
            {
                break;
            }
            builder.Append(rune.ToString());
        }
        return builder.Append(ellipsis).ToString();
    }
}
