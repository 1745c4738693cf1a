using MedOps.Operator.Health;
using MedOps.Operator.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace MedOps.Operator.Tests.Health;

public sealed class HealthProbesTests : IDisposable
{
    private readonly ReadinessGate gate = new();
    private readonly FakeLifetime lifetime = new();
    private readonly HealthProbes probes;

    public HealthProbesTests() => probes = new HealthProbes(gate, lifetime);

    public void Dispose() => lifetime.Dispose();

    [Fact]
    public async Task Healthz_is_ok_while_running() =>
        Assert.Equal((200, "ok"), await GetAsync("/healthz"));

    [Fact]
    public async Task Healthz_fails_once_shutting_down()
    {
        lifetime.StopApplication();
        Assert.Equal((503, "[-]shutdown failed: the process is shutting down\nhealthz check failed\n"), await GetAsync("/healthz"));
    }

    [Fact]
    public async Task Readyz_is_ok_when_every_check_passes()
    {
        gate.Register("informers-synced", () => true);
        Assert.Equal((200, "ok"), await GetAsync("/readyz"));
    }

    [Fact]
    public async Task Readyz_lists_what_is_not_ready_like_controller_runtime()
    {
        gate.Register("informers-synced", () => false);
        gate.Register("config-loaded", () => true);

        Assert.Equal(
            (503, "[+]shutdown ok\n[+]config-loaded ok\n[-]informers-synced failed: not ready\nreadyz check failed\n"),
            await GetAsync("/readyz"));
    }

    [Fact]
    public async Task Readyz_verbose_lists_the_checks_when_all_pass()
    {
        gate.Register("informers-synced", () => true);
        Assert.Equal((200, "[+]shutdown ok\n[+]informers-synced ok\nreadyz check passed\n"), await GetAsync("/readyz", "?verbose"));
    }

    [Fact]
    public async Task Readyz_fails_once_shutting_down()
    {
        lifetime.StopApplication();
        Assert.Equal(503, (await GetAsync("/readyz")).Status);
    }

    [Fact]
    public async Task Other_paths_are_not_found() => Assert.Equal(404, (await GetAsync("/metrics")).Status);

    [Fact]
    public async Task Only_get_and_head_are_allowed() => Assert.Equal(405, (await GetAsync("/healthz", method: "POST")).Status);

    [Fact]
    public async Task Head_has_the_status_but_no_body() => Assert.Equal((200, ""), await GetAsync("/healthz", method: "HEAD"));

    private async Task<(int Status, string Body)> GetAsync(string path, string query = "", string method = "GET")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        var body = new MemoryStream();
        context.Response.Body = body;

        await probes.HandleAsync(context);

        return (context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
