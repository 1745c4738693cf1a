using System.Security.Cryptography;
using System.Text;

namespace MedOps.ModelInitializer.Tests;

/// <summary>Expected digests, computed independently of the code under test.</summary>
internal static class Hashes
{
    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Hex(string text) => Hex(Encoding.UTF8.GetBytes(text));

    public static string Digest(byte[] bytes) => "sha256:" + Hex(bytes);

    /// <summary>The digest of a manifest whose lines are given in their expected order.</summary>
    public static string Manifest(params (string Path, byte[] Content)[] lines) =>
        "sha256:" + Hex(string.Concat(lines.Select(l => $"{Hex(l.Content)}  ./{l.Path}\n")));

    /// <summary>Content that differs per seed.</summary>
    public static byte[] Content(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
