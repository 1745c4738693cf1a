using MedOps.ModelInitializer.Failures;
using MedOps.ModelInitializer.Paths;

namespace MedOps.ModelInitializer.Digests;

/// <summary>
/// Lists the regular files of a model folder, refusing what must not be in one: a link whose
/// target is outside the folder (or missing, or an ancestor: a loop), a FIFO, socket or device,
/// two names that are the same after NFC normalisation. Links that stay inside are followed
/// and their target's files listed under the link's path, as the model server will see them.
/// </summary>
internal static class ModelTree
{
    /// <summary>The regular files under <paramref name="root"/> (resolved first), in no particular order.</summary>
    public static IReadOnlyList<TreeFile> List(string root)
    {
        var realRoot = RealPath.Resolve(root);
        var files = new List<TreeFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Walk(realRoot, realRoot, "", [realRoot], files, seen);
        return files;
    }

    private static void Walk(string realRoot, string directory, string prefix, HashSet<string> ancestors, List<TreeFile> files, HashSet<string> seen)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            var relative = RelativePaths.Check(prefix + entry.Name, "the folder");
            var real = entry.LinkTarget is null ? entry.FullName : Target(realRoot, relative, entry.FullName);
            switch (FileKinds.Of(real))
            {
                case FileKind.Directory when ancestors.Contains(real):
                    throw new FetchFailure(FailureReason.UnsafeContent, $"the link {relative} points to a folder that contains it (a loop)");
                case FileKind.Directory:
                    Walk(realRoot, real, relative + "/", [.. ancestors, real], files, seen);
                    break;
                case FileKind.Regular when !seen.Add(relative):
                    throw new FetchFailure(FailureReason.UnsafeContent, $"two files are named {relative} once normalised to NFC");
                case FileKind.Regular:
                    files.Add(new TreeFile(relative, real, new FileInfo(real).Length));
                    break;
                case FileKind.Missing:
                    throw new FetchFailure(FailureReason.UnsafeContent, $"the link {relative} points to nothing");
                default:
                    throw new FetchFailure(FailureReason.UnsafeContent, $"{relative} is not a regular file, a folder or a link (a FIFO, socket or device)");
            }
        }
    }

    private static string Target(string realRoot, string relative, string link)
    {
        string real;
        try
        {
            real = RealPath.Resolve(link);
        }
        catch (IOException exception)
        {
            throw new FetchFailure(FailureReason.UnsafeContent, $"the link {relative} cannot be resolved: {exception.Message}");
        }
        return RealPath.IsInside(real, realRoot)
            ? real
            : throw new FetchFailure(FailureReason.UnsafeContent, $"the link {relative} points outside the folder (to {real})");
    }
}
