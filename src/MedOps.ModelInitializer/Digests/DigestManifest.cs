using System.Text;

namespace MedOps.ModelInitializer.Digests;

/// <summary>
/// The manifest whose SHA-256 is a folder's digest: one line <c>&lt;hex sha256&gt;  ./&lt;relative path&gt;\n</c>
/// per regular file, sorted by the UTF-8 bytes of the path: what <c>find . -type f | LC_ALL=C sort | xargs sha256sum</c>
/// prints in the folder (two spaces, and the <c>./</c> that find puts first), so that users can check a pin without this program.
/// </summary>
internal static class DigestManifest
{
    /// <summary>The manifest text of <paramref name="entries"/> (relative path, hex SHA-256 of the content).</summary>
    public static string Build(IEnumerable<(string RelativePath, string Hex)> entries)
    {
        var builder = new StringBuilder();
        foreach (var (path, hex) in entries.OrderBy(e => Encoding.UTF8.GetBytes(e.RelativePath), Utf8Order.Instance))
        {
            builder.Append(hex).Append("  ./").Append(path).Append('\n');
        }
        return builder.ToString();
    }

    /// <summary>The digest of a manifest.</summary>
    public static string Digest(string manifest) => Sha256Digest.Of(Encoding.UTF8.GetBytes(manifest));

    // string.CompareOrdinal compares UTF-16 code units, which orders U+E000..U+FFFF after
    // supplementary characters; UTF-8 bytes order them as LC_ALL=C sort does.
    private sealed class Utf8Order : IComparer<byte[]>
    {
        public static Utf8Order Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
