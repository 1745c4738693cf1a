using System.Text;

namespace MedOps.CrdGen;

/// <summary>Writes generated CRD files into a folder and removes the ones no kind produces any more.</summary>
public static class CrdDirectory
{
    private static readonly UTF8Encoding Utf8WithoutBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes <paramref name="files"/> into <paramref name="directory"/> (created when missing);
    /// deletes other files of the same API groups there (a renamed or removed kind). Returns the
    /// names of the files that changed.
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<GeneratedFile> files)
    {
        Directory.CreateDirectory(directory);
        var changed = new List<string>();
        foreach (var file in files)
        {
            var path = Path.Combine(directory, file.FileName);
            if (!File.Exists(path) || File.ReadAllText(path, Utf8WithoutBom) != file.Content)
            {
                File.WriteAllText(path, file.Content, Utf8WithoutBom);
                changed.Add(path);
            }
        }
        foreach (var stale in StaleFiles(directory, files))
        {
            File.Delete(stale);
            changed.Add(stale);
        }
        return changed;
    }

    /// <summary>Files in <paramref name="directory"/> that look like generated CRDs of these groups but are not among <paramref name="files"/>.</summary>
    public static IEnumerable<string> StaleFiles(string directory, IReadOnlyList<GeneratedFile> files)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        var groups = files.Select(f => f.FileName[..(f.FileName.IndexOf('_') + 1)]).Distinct();
        var expected = files.Select(f => f.FileName).ToHashSet(StringComparer.Ordinal);
        return groups
            .SelectMany(prefix => Directory.EnumerateFiles(directory, prefix + "*.yaml"))
            .Where(path => !expected.Contains(Path.GetFileName(path)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
