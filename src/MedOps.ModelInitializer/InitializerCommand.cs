using MedOps.ModelInitializer.Downloads;

namespace MedOps.ModelInitializer;

/// <summary>The program: <c>fetch</c>, <c>digest &lt;path&gt;</c> or help. <c>Main</c> only calls this.</summary>
internal static class InitializerCommand
{
    /// <summary>
    /// Runs <paramref name="args"/> with <paramref name="environment"/> (the process's variables,
    /// or a test's); writes the log to <paramref name="output"/>; returns the exit code.
    /// <paramref name="policy"/> and <paramref name="time"/> let tests shorten the retry delays.
    /// </summary>
    public static Task<int> RunAsync(
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, TextWriter output,
        DownloadPolicy? policy = null, TimeProvider? time = null, CancellationToken cancellationToken = default) => args switch
        {
            ["fetch"] => FetchCommand.RunAsync(environment, output, policy ?? DownloadPolicy.Default, time ?? TimeProvider.System, cancellationToken),
            ["digest", var path] => DigestCommand.RunAsync(path, output, cancellationToken),
            ["help" or "--help" or "-h"] => ShowAsync(output, UsageText.Text, ExitCodes.Success),
            _ => ShowAsync(output, $"medops-model-initializer: unknown arguments \"{string.Join(' ', args)}\"\n{UsageText.Text}", ExitCodes.Usage),
        };

    private static async Task<int> ShowAsync(TextWriter output, string text, int code)
    {
        await output.WriteAsync(text);
        return code;
    }
}
