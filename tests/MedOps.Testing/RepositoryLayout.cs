namespace MedOps.Testing;

/// <summary>Finds the repository and the build output of its programs from a test assembly.</summary>
public static class RepositoryLayout
{
    /// <summary>The repository root: the first parent folder of the test binaries holding MedOps.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release), read from the output path.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Debug" : "Release";

    /// <summary>Where the local cluster keeps its state (kubeconfig, logs, audit log).</summary>
    public static string ClusterDirectory =>
        Environment.GetEnvironmentVariable("MEDOPS_CLUSTER_DIR") is { Length: > 0 } dir ? dir : Path.Combine(Root, ".cluster");

    /// <summary>The cache holding kubectl, helm and the Kubernetes binaries.</summary>
    public static string ToolsDirectory
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("MEDOPS_CACHE");
            if (string.IsNullOrEmpty(cache))
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                var baseDir = string.IsNullOrEmpty(xdg)
                    ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                    : xdg;
                cache = Path.Combine(baseDir, "medops");
            }
            return Path.Combine(cache, "tools", "bin");
        }
    }

    /// <summary>Path of kubectl as installed by hack/install.sh.</summary>
    public static string Kubectl => Path.Combine(ToolsDirectory, "kubectl");

    /// <summary>The main assembly of a program of the solution, built in the tests' configuration.</summary>
    public static string ProgramDll(string project, string assemblyName) =>
        Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", assemblyName + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MedOps.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"MedOps.sln not found above {AppContext.BaseDirectory}");
    }
}
