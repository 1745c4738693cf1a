using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Paths;

/// <summary>
/// The destination folder (<c>MODEL_DIR</c>) of a download: where files go, where partial
/// files wait until they are complete.
/// </summary>
internal sealed class ModelDirectory
{
    /// <summary>Partial downloads start with this; the leftovers of a killed run are removed at the next start.</summary>
    public const string PartialPrefix = ".medops-partial-";

    private ModelDirectory(string root) => Root = root;

    /// <summary>The folder's real path.</summary>
    public string Root { get; }

    /// <summary>Creates the folder if needed and removes the partial files of an earlier run.</summary>
    public static ModelDirectory Prepare(string path)
    {
        Directory.CreateDirectory(path);
        var directory = new ModelDirectory(RealPath.Resolve(path));
        foreach (var leftover in Directory.EnumerateFiles(directory.Root, PartialPrefix + "*"))
        {
            File.Delete(leftover);
        }
        return directory;
    }

    /// <summary>
    /// A new partial file's path, in <see cref="Root"/> itself so that the final rename stays on
    /// one file system (and so is atomic).
    /// </summary>
    public string NewPartialFile() => Path.Join(Root, PartialPrefix + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// The full path for <paramref name="relativePath"/> (checked by <see cref="RelativePaths.Check"/>),
    /// creating its folders. Refuses a folder on the way that is a link or a file: writing through
    /// a link could land outside <see cref="Root"/>.
    /// </summary>
    public string PrepareFile(string relativePath)
    {
        var elements = relativePath.Split('/');
        var current = Root;
        foreach (var element in elements[..^1])
        {
            current = Path.Join(current, element);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null || File.Exists(current))
            {
                throw new FetchFailure(FailureReason.UnsafeContent, $"{relativePath}: {element} is already a link or a file in MODEL_DIR");
            }
            if (!info.Exists)
            {
                info.Create();
            }
        }
        var file = Path.Join(current, elements[^1]);
        if (Directory.Exists(file))
        {
            throw new FetchFailure(FailureReason.UnsafeContent, $"{relativePath} is already a folder in MODEL_DIR");
        }
        return file;
    }

    /// <summary>Moves a complete partial file to its place, replacing what was there (a link itself, not its target).</summary>
    public static void Commit(string partialFile, string destination) => File.Move(partialFile, destination, overwrite: true);
}
