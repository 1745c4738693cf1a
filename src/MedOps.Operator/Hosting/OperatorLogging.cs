using OpenTelemetry.Logs;

namespace MedOps.Operator.Hosting;

/// <summary>Console logging: one line per entry, UTC timestamps, framework chatter filtered out.</summary>
internal static class OperatorLogging
{
    /// <summary>Replaces the default providers with the operator's console format.</summary>
    public static void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.IncludeScopes = false;
        });
        logging.SetMinimumLevel(LogLevel.Information);

        // With an OTLP endpoint, log records (the audit trail's lines among them, category
        // MedOps.Audit) also go to the collector, so a SIEM keeps a copy outside the cluster.
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Telemetry.TelemetryRegistration.OtlpEndpointVariable)))
        {
            logging.AddOpenTelemetry(otel =>
            {
                otel.IncludeFormattedMessage = true;
                otel.AddOtlpExporter();
            });
        }

        // Kestrel's per-request and start-up lines say nothing an operator's user needs; the
        // operator logs its own listen addresses.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        // A failed start (a port in use) is reported on stderr in one line by Program; the host's
        // own multi-kilobyte stack trace of the same failure would bury it.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }
}
