using MedOps.Operator.Configuration;
using MedOps.Operator.Health;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MedOps.Operator.Http;

/// <summary>
/// The two HTTP listeners of controller-runtime's manager on one Kestrel server: the health probe
/// port (<c>/healthz</c>, <c>/readyz</c>) and the metrics port (<c>/metrics</c>). Requests are routed
/// by the local port they arrived on, so a path is never served on the other port.
/// </summary>
internal static class OperatorHttpServer
{
    /// <summary>The Prometheus scrape path.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Binds Kestrel to exactly the configured addresses (ASPNETCORE_URLS and friends are overridden).</summary>
    public static void ConfigureListeners(WebApplicationBuilder builder, OperatorOptions options)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            Listen(kestrel, options.HealthProbeBindAddress);
            if (options.MetricsBindAddress is { } metrics)
            {
                Listen(kestrel, metrics);
            }
        });
    }

    /// <summary>Routes each port to its handler; anything else is 404.</summary>
    public static void MapEndpoints(WebApplication app, OperatorOptions options)
    {
        var probes = app.Services.GetRequiredService<HealthProbes>();
        var healthPort = options.HealthProbeBindAddress.Port;
        app.MapWhen(context => context.Connection.LocalPort == healthPort, health => health.Run(probes.HandleAsync));

        if (options.MetricsBindAddress is { Port: var metricsPort })
        {
            app.MapWhen(context => context.Connection.LocalPort == metricsPort,
                metrics => metrics.UseOpenTelemetryPrometheusScrapingEndpoint(MetricsPath));
        }
    }

    private static void Listen(KestrelServerOptions kestrel, BindAddress address)
    {
        if (address.IsLocalhost)
        {
            kestrel.ListenLocalhost(address.Port);
        }
        else if (address.Host is null)
        {
            kestrel.ListenAnyIP(address.Port);
        }
        else
        {
            kestrel.Listen(address.Host, address.Port);
        }
    }
}
