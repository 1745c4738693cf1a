using System.Text.Json;
using System.Text.RegularExpressions;
using MedOps.Testing;

namespace MedOps.IntegrationTests.GitOps;

/// <summary>
/// The Argo CD health checks (charts/medops/argocd/health/medops.io/&lt;Kind&gt;/health.lua) on their
/// status fixtures, with a real Lua 5.1 interpreter. Needs no cluster; lives with the integration
/// tests because it runs an external program, and fails (never skips) when lua5.1 is missing.
/// </summary>
public sealed partial class HealthLuaTests
{
    private static readonly string[] Kinds = ["MedicalModel", "TrainingJob", "Workspace"];

    [Fact]
    public async Task Every_fixture_of_every_kind_gets_the_expected_health()
    {
        var result = await ArgoHealth.RunAsync();

        var summary = Summary().Match(result.StandardOutput);
        Assert.True(summary.Success, $"test_runner.lua printed no summary line (exit {result.ExitCode}):\n{result.Output}");
        var passed = int.Parse(summary.Groups["passed"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var failed = int.Parse(summary.Groups["failed"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(failed == 0 && result.ExitCode == 0, $"{failed} health.lua cases failed (exit {result.ExitCode}):\n{result.Output}");
        foreach (var kind in Kinds)
        {
            var cases = result.StandardOutput.Split('\n').Count(l => l.StartsWith($"ok   {kind}: ", StringComparison.Ordinal));
            Assert.True(cases >= 6, $"{kind} has {cases} passing cases; at least 6 expected:\n{result.Output}");
        }
        Assert.True(passed >= 18, result.Output);
    }

    [Fact]
    public async Task The_interpreter_is_Lua_5_1_as_in_Argo_CD()
    {
        var version = await ProcessRunner.RunAsync(ArgoHealth.Interpreter, ["-v"], TimeSpan.FromSeconds(30));
        Assert.Contains("Lua 5.1", version.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_case_makes_the_runner_fail()
    {
        // The runner must not pass vacuously: judge an object with --eval and check the verdict,
        // then make sure a broken script is reported (a copy of the tree with a wrong script).
        var copy = Path.Combine(Path.GetTempPath(), $"medops-health-tree-{Guid.NewGuid():N}");
        CopyTree(ArgoHealth.Folder, copy);
        try
        {
            var script = Path.Combine(copy, "medops.io", "Workspace", "health.lua");
            var text = await File.ReadAllTextAsync(script);
            await File.WriteAllTextAsync(script, text.Replace("return result(\"Suspended\", say(ready, \"stopped\"))", "return result(\"Healthy\", \"stopped\")", StringComparison.Ordinal));
            var result = await ProcessRunner.RunAsync(ArgoHealth.Interpreter, [Path.Combine(copy, "test_runner.lua")], TimeSpan.FromMinutes(1), workingDirectory: copy);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Matches(@"health\.lua: \d+ passed, 1 failed", result.StandardOutput);
            Assert.Contains("FAIL Workspace: Stopped on purpose", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Eval_judges_an_object_given_as_json()
    {
        using var doc = JsonDocument.Parse("""
            {"apiVersion": "medops.io/v1alpha1", "kind": "TrainingJob",
             "metadata": {"name": "a \"quoted\"\nname", "generation": 2},
             "status": {"observedGeneration": 2, "phase": "Failed", "conditions": [
               {"type": "Stalled", "status": "True", "reason": "BackoffLimitExceeded", "message": "üñí\\code", "observedGeneration": 2}]}}
            """);
        var (status, message) = await ArgoHealth.JudgeAsync("TrainingJob", doc.RootElement);
        Assert.Equal("Degraded", status);
        Assert.Equal("BackoffLimitExceeded: üñí\\code", message);
    }

    [Fact]
    public async Task Docs_gitops_inlines_exactly_the_shipped_scripts()
    {
        var doc = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Root, "docs", "gitops.md"));
        foreach (var kind in Kinds)
        {
            var key = $"  resource.customizations.health.medops.io_{kind}: |";
            var start = doc.IndexOf(key, StringComparison.Ordinal);
            Assert.True(start >= 0, $"docs/gitops.md has no argocd-cm key {key.Trim()}");
            var lines = doc[(start + key.Length)..].Split('\n').Skip(1)
                .TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal) || l.Length == 0)
                .Select(l => l.Length == 0 ? l : l[4..]);
            var inlined = string.Join('\n', lines).TrimEnd('\n');
            var shipped = (await File.ReadAllTextAsync(ArgoHealth.Script(kind))).TrimEnd('\n');
            Assert.True(inlined == shipped,
                $"the {kind} script inlined in docs/gitops.md differs from {ArgoHealth.Script(kind)}: copy the file into the doc again");
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    [GeneratedRegex(@"health\.lua: (?<passed>\d+) passed, (?<failed>\d+) failed")]
    private static partial Regex Summary();
}
