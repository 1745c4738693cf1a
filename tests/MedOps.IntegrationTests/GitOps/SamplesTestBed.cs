using System.Text.Json;
using MedOps.IntegrationTests.Beds;
using MedOps.Testing;

namespace MedOps.IntegrationTests.GitOps;

/// <summary>
/// One test's world for the GitOps checks: a fresh namespace, the real operator process watching
/// only it, and kubectl on the repository's samples/ exactly as a GitOps tool or a platform
/// engineer runs it (server-side apply, diff, wait).
/// </summary>
internal sealed class SamplesTestBed : OperatorTestBed
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    private SamplesTestBed(LocalCluster cluster, TestNamespace ns)
        : base(cluster, ns)
    {
    }

    public static Task<SamplesTestBed> StartAsync(LocalCluster cluster, string prefix) =>
        StartAsync(cluster, prefix, ns => new SamplesTestBed(cluster, ns));

    public static string Sample(string file) => Path.Combine(RepositoryLayout.Root, "samples", file);

    /// <summary><c>kubectl apply --server-side -f samples/&lt;file&gt;</c>, as kubectl's own field manager.</summary>
    public async Task<ProcessResult> ApplyOkAsync(string file)
    {
        var result = await KubectlAsync("apply", "--server-side", "-f", Sample(file));
        Assert.True(result.ExitCode == 0, $"kubectl apply --server-side -f samples/{file} failed:\n{result.Output}");
        return result;
    }

    /// <summary><c>kubectl diff --server-side -f samples/&lt;file&gt;</c> (exit 0: no difference, 1: differences, other: error).</summary>
    public Task<ProcessResult> DiffAsync(string file) => KubectlAsync("diff", "--server-side", "-f", Sample(file));

    /// <summary><c>kubectl wait --for=condition=Ready</c> on the given resources (kind/name).</summary>
    public async Task WaitReadyAsync(params string[] resources)
    {
        var result = await KubectlAsync(["wait", "--for=condition=Ready", $"--timeout={(int)Timeout.TotalSeconds}s", .. resources]);
        Assert.True(result.ExitCode == 0,
            $"kubectl wait --for=condition=Ready {string.Join(' ', resources)} exited {result.ExitCode}:\n{result.Output}\n"
            + $"{(await KubectlAsync("get", "medops", "-o", "yaml")).Output}\noperator log:\n{OperatorTail()}");
        foreach (var resource in resources)
        {
            Assert.Contains($"{resource.Split('/')[1]} condition met", result.StandardOutput, StringComparison.Ordinal);
        }
    }

    /// <summary>The object as the API server returns it (kubectl get -o json).</summary>
    public async Task<JsonElement> GetAsync(string resource)
    {
        var result = await KubectlAsync("get", resource, "-o", "json");
        Assert.True(result.ExitCode == 0, result.Output);
        using var doc = JsonDocument.Parse(result.StandardOutput);
        return doc.RootElement.Clone();
    }

    /// <summary>kind/name → "generation=…" (plus resourceVersion when asked) of every object of the given types in the namespace.</summary>
    public async Task<SortedDictionary<string, string>> SnapshotAsync(string types, bool resourceVersion)
    {
        var result = await KubectlAsync("get", types, "-o", "json");
        Assert.True(result.ExitCode == 0, result.Output);
        using var doc = JsonDocument.Parse(result.StandardOutput);
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in doc.RootElement.GetProperty("items").EnumerateArray())
        {
            var meta = item.GetProperty("metadata");
            var generation = meta.TryGetProperty("generation", out var g) ? g.GetRawText() : "-";
            var value = resourceVersion ? $"generation={generation} resourceVersion={meta.GetProperty("resourceVersion").GetString()}" : $"generation={generation}";
            snapshot[$"{item.GetProperty("kind").GetString()}/{meta.GetProperty("name").GetString()}"] = value;
        }
        return snapshot;
    }
}
