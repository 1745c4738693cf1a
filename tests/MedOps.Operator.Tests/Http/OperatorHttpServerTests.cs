using MedOps.Operator.Health;
using MedOps.Operator.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace MedOps.Operator.Tests.Http;

public sealed class OperatorHttpServerTests
{
    [Fact]
    public async Task Probes_are_served_on_the_health_port_and_metrics_on_the_metrics_port_only()
    {
        await using var host = await RunningHost.StartAsync();

        Assert.Equal((200, "ok"), await host.GetAsync(host.HealthUrl + "/healthz"));
        Assert.Equal((200, "ok"), await host.GetAsync(host.HealthUrl + "/readyz"));
        Assert.Equal(200, (await host.GetAsync(host.MetricsUrl + "/metrics")).Status);
        Assert.Equal(404, (await host.GetAsync(host.HealthUrl + "/metrics")).Status);
        Assert.Equal(404, (await host.GetAsync(host.MetricsUrl + "/healthz")).Status);
        Assert.Equal(404, (await host.GetAsync(host.MetricsUrl + "/")).Status);
    }

    [Fact]
    public async Task Readyz_follows_the_checks_that_components_register()
    {
        await using var host = await RunningHost.StartAsync();
        var synced = false;
        using var registration = host.App.Services.GetRequiredService<ReadinessGate>().Register("informers-synced", () => synced);

        Assert.Equal((503, "[+]shutdown ok\n[-]informers-synced failed: not ready\nreadyz check failed\n"), await host.GetAsync(host.HealthUrl + "/readyz"));
        Assert.Equal((200, "ok"), await host.GetAsync(host.HealthUrl + "/healthz"));

        synced = true;
        Assert.Equal((200, "ok"), await host.GetAsync(host.HealthUrl + "/readyz"));
    }

    [Fact]
    public async Task With_metrics_disabled_only_the_health_port_listens()
    {
        await using var host = await RunningHost.StartAsync(serveMetrics: false);

        Assert.Equal((200, "ok"), await host.GetAsync(host.HealthUrl + "/healthz"));
        Assert.Null(host.Options.MetricsBindAddress);
    }
}
