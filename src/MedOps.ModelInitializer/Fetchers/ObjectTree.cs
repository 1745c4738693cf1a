using MedOps.ModelInitializer.Downloads;
using MedOps.ModelInitializer.Failures;
using MedOps.ModelInitializer.Paths;

namespace MedOps.ModelInitializer.Fetchers;

/// <summary>
/// Plans the download of a prefix: each object's path relative to the prefix, every one checked
/// before the first byte is written, the total checked against the budget.
/// </summary>
internal static class ObjectTree
{
    /// <summary>
    /// The files of <paramref name="objects"/> under <paramref name="prefix"/> ("" or ending with
    /// '/'). Keys ending with '/' are folder markers, not files. Throws
    /// <see cref="FailureReason.SourceNotFound"/> for an empty prefix,
    /// <see cref="FailureReason.UnsafeContent"/> for a key that would escape or collide,
    /// <see cref="FailureReason.TooLarge"/> past the budget.
    /// </summary>
    public static IReadOnlyList<PlannedFile> Plan(string display, string prefix, IEnumerable<RemoteObject> objects, ByteBudget budget)
    {
        var files = new List<PlannedFile>();
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in objects)
        {
            if (!item.Key.StartsWith(prefix, StringComparison.Ordinal) || item.Key.EndsWith('/'))
            {
                continue;
            }
            var relative = RelativePaths.Check(item.Key[prefix.Length..], $"{display}: the key \"{item.Key}\"");
            if (!paths.Add(relative))
            {
                throw new FetchFailure(FailureReason.UnsafeContent, $"{display}: two keys are saved as {relative} (they differ only in Unicode normalisation)");
            }
            files.Add(new PlannedFile(item.Key, relative, item.Size));
        }
        if (files.Count == 0)
        {
            throw new FetchFailure(FailureReason.SourceNotFound, $"{display}: no object is named so, and no object is under it");
        }
        foreach (var file in files)
        {
            // A file "a" and a file "a/b" cannot both be written.
            var slash = file.RelativePath.LastIndexOf('/');
            for (; slash > 0; slash = file.RelativePath.LastIndexOf('/', slash - 1))
            {
                if (paths.Contains(file.RelativePath[..slash]))
                {
                    throw new FetchFailure(FailureReason.UnsafeContent, $"{display}: {file.RelativePath[..slash]} is both a file and a folder");
                }
            }
        }
        var total = files.Sum(f => f.Size);
        return total > budget.Remaining ? throw budget.TooLarge(display, total) : files;
    }
}
