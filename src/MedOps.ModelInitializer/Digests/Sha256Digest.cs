using System.Security.Cryptography;

namespace MedOps.ModelInitializer.Digests;

/// <summary>The <c>sha256:&lt;64 lower-case hex&gt;</c> form of digests (as in <c>spec.source.digest</c>).</summary>
internal static class Sha256Digest
{
    /// <summary>The algorithm prefix.</summary>
    public const string Prefix = "sha256:";

    /// <summary>Whether <paramref name="digest"/> has the exact form: prefix and 64 lower-case hex digits.</summary>
    public static bool IsValid(string digest) =>
        digest.Length == Prefix.Length + 64
        && digest.StartsWith(Prefix, StringComparison.Ordinal)
        && digest[Prefix.Length..].All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>The digest of <paramref name="bytes"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Format(SHA256.HashData(bytes));

    /// <summary>The lower-case hex SHA-256 of a file's bytes (without the prefix).</summary>
    public static async Task<string> HexOfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>The prefixed form of a raw hash.</summary>
    public static string Format(ReadOnlySpan<byte> hash) => Prefix + Convert.ToHexStringLower(hash);
}
