using System.Globalization;
using System.Text;
using System.Text.Json;
using MedOps.Testing;

namespace MedOps.IntegrationTests.GitOps;

/// <summary>
/// The Argo CD health checks shipped in charts/medops/argocd/health, run by a real Lua 5.1
/// interpreter (Debian's lua5.1, which hack/install.sh installs) through the repository's
/// test_runner.lua.
/// </summary>
internal static class ArgoHealth
{
    private static readonly string[] Candidates = ["/usr/bin/lua5.1", "/usr/local/bin/lua5.1"];

    public static string Folder => Path.Combine(RepositoryLayout.Root, "charts", "medops", "argocd", "health");

    public static string Runner => Path.Combine(Folder, "test_runner.lua");

    public static string Script(string kind) => Path.Combine(Folder, "medops.io", kind, "health.lua");

    /// <summary>The lua5.1 executable; fails the test (never skips it) when there is none.</summary>
    public static string Interpreter
    {
        get
        {
            var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "lua5.1"));
            var found = Candidates.Concat(onPath).FirstOrDefault(File.Exists);
            Assert.True(found is not null,
                "lua5.1 was not found (looked in /usr/bin, /usr/local/bin and $PATH): the Argo CD health checks are tested with "
                + "a real Lua 5.1 interpreter. Install it with hack/install.sh (Debian package lua5.1) or apt-get install lua5.1.");
            return found!;
        }
    }

    /// <summary>Runs test_runner.lua with the given arguments.</summary>
    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(Interpreter, [Runner, .. arguments], TimeSpan.FromMinutes(1), workingDirectory: Folder);

    /// <summary>What <paramref name="kind"/>'s health.lua says of <paramref name="resource"/> (the object as the API server returns it).</summary>
    public static async Task<(string Status, string Message)> JudgeAsync(string kind, JsonElement resource)
    {
        var path = Path.Combine(Path.GetTempPath(), $"medops-health-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(path, "return " + ToLua(resource) + "\n");
        try
        {
            var result = await RunAsync("--eval", kind, path);
            Assert.True(result.ExitCode == 0, $"{kind}/health.lua could not judge the object:\n{result.Output}\nobject: {resource.GetRawText()}");
            var line = result.StandardOutput.TrimEnd('\n', '\r');
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            Assert.True(tab > 0, $"test_runner.lua --eval printed no status<TAB>message: {result.Output}");
            return (line[..tab], line[(tab + 1)..]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A JSON value as a Lua 5.1 table constructor (null becomes nil, as Argo CD's conversion does).</summary>
    public static string ToLua(JsonElement value)
    {
        var text = new StringBuilder();
        Write(text, value);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                foreach (var property in value.EnumerateObject())
                {
                    text.Append('[');
                    Quote(text, property.Name);
                    text.Append("]=");
                    Write(text, property.Value);
                    text.Append(',');
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('{');
                foreach (var item in value.EnumerateArray())
                {
                    Write(text, item);
                    text.Append(',');
                }
                text.Append('}');
                break;
            case JsonValueKind.String:
                Quote(text, value.GetString()!);
                break;
            case JsonValueKind.Number:
                text.Append(value.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("nil");
                break;
        }
    }

    // A Lua 5.1 string literal: bytes are kept (UTF-8), quotes, backslashes and control characters escaped as \ddd.
    private static void Quote(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\' || c < ' ' || c == '\x7f')
            {
                text.Append('\\').Append(((int)c).ToString("000", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }
        text.Append('"');
    }
}
