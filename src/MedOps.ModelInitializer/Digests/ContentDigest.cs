using MedOps.ModelInitializer.Failures;
using MedOps.ModelInitializer.Paths;

namespace MedOps.ModelInitializer.Digests;

/// <summary>
/// The digest of a model (docs/model-initializer.md, "The digest"): for a regular file the
/// SHA-256 of its bytes; for a folder the SHA-256 of its <see cref="DigestManifest"/>.
/// </summary>
internal static class ContentDigest
{
    /// <summary>
    /// The digest of the file or folder at <paramref name="path"/> (links followed). Throws
    /// <see cref="FetchFailure"/>: <see cref="FailureReason.SourceNotFound"/> when nothing is there,
    /// <see cref="FailureReason.UnsafeContent"/> as <see cref="ModelTree"/> refuses,
    /// <see cref="FailureReason.TooLarge"/> above <paramref name="maxBytes"/> (checked before any byte is read).
    /// </summary>
    public static async Task<DigestResult> ComputeAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        var real = RealPath.Resolve(path);
        switch (FileKinds.Of(real))
        {
            case FileKind.Missing:
                throw new FetchFailure(FailureReason.SourceNotFound, $"{path} does not exist");
            case FileKind.Special:
                throw new FetchFailure(FailureReason.UnsafeContent, $"{path} is not a regular file or a folder");
            case FileKind.Regular:
                var length = new FileInfo(real).Length;
                CheckSize(path, length, maxBytes);
                var hex = await Sha256Digest.HexOfFileAsync(real, cancellationToken);
                return new DigestResult(Sha256Digest.Prefix + hex, 1, length);
        }

        var files = ModelTree.List(real);
        var total = files.Sum(f => f.Length);
        CheckSize(path, total, maxBytes);
        var entries = new List<(string, string)>(files.Count);
        foreach (var file in files)
        {
            entries.Add((file.RelativePath, await Sha256Digest.HexOfFileAsync(file.FullPath, cancellationToken)));
        }
        return new DigestResult(DigestManifest.Digest(DigestManifest.Build(entries)), files.Count, total);
    }

    private static void CheckSize(string path, long bytes, long maxBytes)
    {
        if (bytes > maxBytes)
        {
            throw new FetchFailure(FailureReason.TooLarge, $"{path} holds {ByteSizes.Format(bytes)} ({bytes} bytes), more than MODEL_MAX_BYTES {maxBytes}");
        }
    }
}
