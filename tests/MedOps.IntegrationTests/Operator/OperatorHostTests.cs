using MedOps.Testing;

namespace MedOps.IntegrationTests.Operator;

/// <summary>The operator process against the local control plane: endpoints, flags, signals.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OperatorHostTests(LocalCluster cluster)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task The_operator_answers_health_readiness_and_metrics_and_exits_0_on_sigterm()
    {
        await using var ns = await cluster.CreateNamespaceAsync("op-host");
        await using var op = await cluster.StartOperatorAsync("--leader-elect", "--leader-election-namespace", ns.Name, "--namespace", ns.Name);

        await Eventually.WaitUntilAsync(async () => await StatusAsync($"http://127.0.0.1:{op.HealthPort}/readyz") == 200,
            TimeSpan.FromSeconds(30), "/readyz to answer 200\n" + op.Output);
        Assert.Equal(200, await StatusAsync($"http://127.0.0.1:{op.HealthPort}/healthz"));

        var metrics = await Eventually.WaitForAsync(
            () => Http.GetStringAsync($"http://127.0.0.1:{op.MetricsPort}/metrics"),
            text => text.Contains("leader_election_master_status{name=\"medops-operator\"} 1", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the operator to report itself leader");
        Assert.Contains("rest_client_requests_total{", metrics, StringComparison.Ordinal);

        op.Terminate();
        await op.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, op.ExitCode);
    }

    [Fact]
    public async Task A_bad_flag_gives_one_line_and_exit_code_2()
    {
        var result = await ProcessRunner.RunAsync("dotnet", [OperatorProcess.Dll, "--no-such-flag"], TimeSpan.FromSeconds(30));
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--no-such-flag", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_kubeconfig_gives_one_line_naming_it_and_exit_code_1()
    {
        var path = Path.Combine(Path.GetTempPath(), $"medops-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, "this: [is not a kubeconfig");
        try
        {
            var result = await ProcessRunner.RunAsync("dotnet", [OperatorProcess.Dll, "--kubeconfig", path], TimeSpan.FromSeconds(30));
            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(path, line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<int> StatusAsync(string url)
    {
        try
        {
            using var response = await Http.GetAsync(url);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
