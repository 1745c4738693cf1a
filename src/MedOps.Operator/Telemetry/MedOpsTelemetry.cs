using System.Diagnostics;
using System.Diagnostics.Metrics;
using MedOps.Runtime.Telemetry;

namespace MedOps.Operator.Telemetry;

/// <summary>
/// The operator's single <see cref="System.Diagnostics.Metrics.Meter"/> and
/// <see cref="System.Diagnostics.ActivitySource"/>. All instrumentation goes through these two;
/// the OpenTelemetry SDK subscribes to them by <see cref="Name"/> and exports to Prometheus and OTLP.
/// </summary>
public static class MedOpsTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = RuntimeMetrics.SourceName;

    /// <summary>The meter that every MedOps instrument belongs to (see <see cref="ControllerMetrics"/>).</summary>
    public static Meter Meter => RuntimeMetrics.Meter;

    /// <summary>The source of reconcile spans; start one per reconcile with <c>ActivitySource.StartActivity</c>.</summary>
    public static ActivitySource ActivitySource => RuntimeMetrics.Tracing;
}
