using System.Text;
using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Paths;

/// <summary>
/// Checks the relative paths that come from a store (object keys, a URL's file name) before
/// anything is written: no <c>..</c>, no absolute path, no empty or <c>.</c> element, no
/// control character. Such a key is refused, not cleaned up: cleaning would change what the
/// digest covers.
/// </summary>
internal static class RelativePaths
{
    /// <summary>
    /// <paramref name="path"/> in NFC when it is safe; otherwise throws
    /// <see cref="FailureReason.UnsafeContent"/>, naming <paramref name="origin"/>.
    /// </summary>
    public static string Check(string path, string origin)
    {
        if (path.Length == 0)
        {
            throw Unsafe(origin, "an empty path");
        }
        if (path.StartsWith('/'))
        {
            throw Unsafe(origin, $"the absolute path \"{path}\"");
        }
        if (path.Any(char.IsControl))
        {
            throw Unsafe(origin, $"the path \"{Printable(path)}\" with a control character");
        }
        foreach (var element in path.Split('/'))
        {
            if (element is "" or "." or "..")
            {
                throw Unsafe(origin, $"the path \"{path}\" with a \"{element}\" element (it must stay inside MODEL_DIR)");
            }
        }
        return path.Normalize(NormalizationForm.FormC);
    }

    /// <summary>The last element of <paramref name="key"/>: the file name a single object is saved as.</summary>
    public static string FileName(string key) => key[(key.LastIndexOf('/') + 1)..];

    private static FetchFailure Unsafe(string origin, string what) =>
        new(FailureReason.UnsafeContent, $"{origin} names {what}");

    private static string Printable(string path) =>
        string.Concat(path.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
