using MedOps.Operator.Configuration;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MedOps.Operator.Telemetry;

/// <summary>
/// Wires <see cref="MedOpsTelemetry"/> into the OpenTelemetry SDK: Prometheus text for
/// <c>/metrics</c> (when the metrics endpoint is on) and OTLP metrics and traces when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is set (the exporter reads the other OTEL_* variables).
/// </summary>
internal static class TelemetryRegistration
{
    /// <summary>The variable that switches OTLP export on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The meter the .NET runtime publishes its GC, memory and CPU figures on.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>Registers the SDK's meter provider (and tracer provider when exporting over OTLP).</summary>
    public static IServiceCollection AddOperatorTelemetry(this IServiceCollection services, bool serveMetrics, IStartupEnvironment environment)
    {
        var exportOtlp = !string.IsNullOrEmpty(environment.GetEnvironmentVariable(OtlpEndpointVariable));
        var hasServiceName = !string.IsNullOrEmpty(environment.GetEnvironmentVariable("OTEL_SERVICE_NAME"));

        var openTelemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME wins when set, as the specification says.
                if (!hasServiceName)
                {
                    resource.AddService(OperatorOptions.LeaseName, serviceVersion: MedOpsTelemetry.Meter.Version);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MedOpsTelemetry.Name);
                // The runtime's own meter (.NET 9+): GC heap sizes, allocations, working set, CPU time;
                // what go_memstats_* and process_* are to a Go operator.
                metrics.AddMeter(RuntimeMeterName);
                if (serveMetrics)
                {
                    metrics.AddPrometheusExporter(prometheus =>
                    {
                        // controller-runtime's series carry only their own labels; the SDK's scope label
                        // and target_info would break dashboards that match on label sets.
                        prometheus.ScopeInfoEnabled = false;
                        prometheus.TargetInfoEnabled = false;
                        prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                    });
                }

                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        if (exportOtlp)
        {
            // Without a listener, ActivitySource.StartActivity returns null and spans cost nothing.
            openTelemetry.WithTracing(tracing => tracing.AddSource(MedOpsTelemetry.Name).AddOtlpExporter());
        }

        return services;
    }
}
