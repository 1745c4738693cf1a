using MedOps.ModelInitializer.Downloads;

namespace MedOps.ModelInitializer.Tests.Fetch;

/// <summary>What one run of <c>fetch</c> left.</summary>
internal sealed record RunResult(int ExitCode, string Output, string? Termination);

/// <summary>
/// Runs <c>fetch</c> in-process, as <c>Main</c> does, into a temp folder: MODEL_DIR is
/// <see cref="ModelDir"/>, TERMINATION_LOG <see cref="TerminationLog"/>.
/// </summary>
internal sealed class InitializerRun : IDisposable
{
    /// <summary>Retries in milliseconds rather than seconds; a progress line at every read.</summary>
    public static readonly DownloadPolicy FastPolicy = new()
    {
        MaxAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ReadTimeout = TimeSpan.FromSeconds(10),
        ProgressInterval = TimeSpan.Zero,
    };

    private readonly TempFolder _folder = new();

    public string ModelDir => _folder.Join("models");

    public string TerminationLog => _folder.Join("termination-log");

    public TempFolder Folder => _folder;

    public Dictionary<string, string> Environment(string uri, string? digest = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["MODEL_URI"] = uri,
            ["MODEL_DIR"] = ModelDir,
            ["TERMINATION_LOG"] = TerminationLog,
        };
        if (digest is not null)
        {
            environment["MODEL_DIGEST"] = digest;
        }
        return environment;
    }

    public async Task<RunResult> FetchAsync(IReadOnlyDictionary<string, string> environment, DownloadPolicy? policy = null)
    {
        using var output = new StringWriter();
        var code = await InitializerCommand.RunAsync(["fetch"], environment, output, policy ?? FastPolicy);
        return new RunResult(code, output.ToString(), File.Exists(TerminationLog) ? await File.ReadAllTextAsync(TerminationLog) : null);
    }

    /// <summary>The files MODEL_DIR holds, relative, '/'-separated, sorted.</summary>
    public IReadOnlyList<string> Files() =>
        Directory.Exists(ModelDir)
            ? [.. Directory.EnumerateFiles(ModelDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(ModelDir, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
            : [];

    public void Dispose() => _folder.Dispose();
}
