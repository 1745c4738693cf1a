namespace MedOps.ModelInitializer.Paths;

/// <summary>
/// Resolves a path the way the kernel does (every symlink, then <c>..</c> against the real
/// parent), like realpath(3). <see cref="Path.GetFullPath(string)"/> is not enough: it folds
/// <c>link/..</c> lexically, which is not where the kernel goes.
/// </summary>
internal static class RealPath
{
    // The kernel's own limit (MAXSYMLINKS) on links followed in one lookup.
    private const int MaxLinks = 40;

    /// <summary>
    /// The real absolute path of <paramref name="path"/>. A missing tail is kept as written;
    /// throws <see cref="IOException"/> on a symlink loop.
    /// </summary>
    public static string Resolve(string path)
    {
        var absolute = Path.IsPathRooted(path) ? path : Path.Join(Environment.CurrentDirectory, path);
        var pending = new LinkedList<string>(Split(absolute));
        var current = "/";
        var links = 0;
        while (pending.First is { } first)
        {
            pending.RemoveFirst();
            var name = first.Value;
            if (name == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            var candidate = Path.Join(current, name);
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                current = candidate;
                continue;
            }
            if (++links > MaxLinks)
            {
                throw new IOException($"too many levels of symbolic links at {candidate}");
            }
            if (Path.IsPathRooted(target))
            {
                current = "/";
            }
            foreach (var element in Split(target).Reverse())
            {
                pending.AddFirst(element);
            }
        }
        return current;
    }

    /// <summary>Whether <paramref name="realPath"/> is <paramref name="realRoot"/> or below it (both resolved).</summary>
    public static bool IsInside(string realPath, string realRoot) =>
        realPath == realRoot
        || realPath.StartsWith(realRoot.EndsWith('/') ? realRoot : realRoot + "/", StringComparison.Ordinal);

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(element => element != ".");
}
