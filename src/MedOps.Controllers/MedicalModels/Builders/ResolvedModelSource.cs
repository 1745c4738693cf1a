using System.Diagnostics.CodeAnalysis;

namespace MedOps.Controllers.MedicalModels.Builders;

/// <summary>
/// The model's location once resolved: <c>spec.source.uri</c>, or the referenced TrainingJob's
/// <c>status.outputUri</c>, with the optional digest pin.
/// </summary>
/// <param name="Uri">The model URI, given to the initializer as <c>MODEL_URI</c>.</param>
/// <param name="Digest">
/// <c>spec.source.digest</c>, given to the initializer as <c>MODEL_DIGEST</c>; when set, the
/// initializer also runs for claims, to verify them.
/// </param>
/// <param name="Pvc">The claim and folder when the URI is <c>pvc://</c>; null for downloads.</param>
public sealed record ResolvedModelSource(string Uri, string? Digest, PvcLocation? Pvc)
{
    /// <summary>Whether the model is downloaded into an emptyDir (not a claim).</summary>
    public bool IsDownloaded => Pvc is null;

    /// <summary>
    /// Parses <paramref name="uri"/> with <see cref="ModelUri.TryParse"/> into a resolved source.
    /// An empty <paramref name="digest"/> counts as none. On failure, <paramref name="error"/> is
    /// <see cref="ModelUri.TryParse"/>'s message.
    /// </summary>
    public static bool TryCreate(
        string? uri,
        string? digest,
        [NotNullWhen(true)] out ResolvedModelSource? source,
        [NotNullWhen(false)] out string? error)
    {
        source = null;
        if (!ModelUri.TryParse(uri, out var parsed, out error))
        {
            return false;
        }
        source = new ResolvedModelSource(parsed.Uri, string.IsNullOrEmpty(digest) ? null : digest, parsed.Pvc);
        return true;
    }
}
