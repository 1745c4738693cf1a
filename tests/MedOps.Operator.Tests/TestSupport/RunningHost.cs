using k8s;
using MedOps.Operator.Configuration;
using MedOps.Operator.Hosting;
using MedOps.Operator.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace MedOps.Operator.Tests.TestSupport;

/// <summary>The real operator host on free loopback ports, without leader election and without an API server.</summary>
internal sealed class RunningHost : IAsyncDisposable
{
    private RunningHost(WebApplication app, OperatorOptions options)
    {
        App = app;
        Options = options;
    }

    public WebApplication App { get; }

    public OperatorOptions Options { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string HealthUrl => $"http://127.0.0.1:{Options.HealthProbeBindAddress.Port}";

    public string MetricsUrl => $"http://127.0.0.1:{Options.MetricsBindAddress!.Port}";

    public static async Task<RunningHost> StartAsync(
        bool serveMetrics = true,
        Action<IServiceCollection>? configureServices = null,
        FakeStartupEnvironment? environment = null)
    {
        var options = new OperatorOptions
        {
            HealthProbeBindAddress = new BindAddress(System.Net.IPAddress.Loopback, false, FreePort.Next()),
            MetricsBindAddress = serveMetrics ? new BindAddress(System.Net.IPAddress.Loopback, false, FreePort.Next()) : null,
        };

        // Nothing talks to the API server without leader election or components.
        var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" });
        var app = OperatorHost.Build(options, client, environment ?? new FakeStartupEnvironment(), configureServices);
        await app.StartAsync();
        return new RunningHost(app, options);
    }

    public async Task<(int Status, string Body)> GetAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
