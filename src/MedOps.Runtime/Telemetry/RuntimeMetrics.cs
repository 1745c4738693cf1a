using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MedOps.Runtime.Telemetry;

/// <summary>
/// The runtime's instruments, named exactly as controller-runtime and client-go name theirs so
/// that existing dashboards and alerts work unchanged. The host exports the meter and the
/// activity source (Prometheus scrape, OTLP).
/// </summary>
public static class RuntimeMetrics
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string SourceName = "MedOps.Runtime";

    /// <summary>The runtime's meter.</summary>
    public static readonly Meter Meter = new(SourceName);

    /// <summary>Spans: one per reconcile.</summary>
    public static readonly ActivitySource Tracing = new(SourceName);

    /// <summary>Reconciles per controller and result (success, error, requeue, requeue_after).</summary>
    public static readonly Counter<long> ReconcileTotal =
        Meter.CreateCounter<long>("controller_runtime_reconcile_total", description: "Total number of reconciliations per controller");

    /// <summary>Reconcile errors per controller.</summary>
    public static readonly Counter<long> ReconcileErrors =
        Meter.CreateCounter<long>("controller_runtime_reconcile_errors_total", description: "Total number of reconciliation errors per controller");

    /// <summary>Reconcile duration.</summary>
    public static readonly Histogram<double> ReconcileTime =
        Meter.CreateHistogram<double>("controller_runtime_reconcile_time_seconds", unit: "s", description: "Length of time per reconciliation per controller");

    /// <summary>Items added to a work queue.</summary>
    public static readonly Counter<long> QueueAdds =
        Meter.CreateCounter<long>("workqueue_adds_total", description: "Total number of adds handled by workqueue");

    /// <summary>Items waiting in a work queue.</summary>
    public static readonly UpDownCounter<long> QueueDepth =
        Meter.CreateUpDownCounter<long>("workqueue_depth", description: "Current depth of workqueue");

    /// <summary>Time an item waits in a queue before a worker takes it.</summary>
    public static readonly Histogram<double> QueueDuration =
        Meter.CreateHistogram<double>("workqueue_queue_duration_seconds", unit: "s", description: "How long in seconds an item stays in workqueue before being requested");

    /// <summary>Retries (rate-limited re-adds) of a work queue.</summary>
    public static readonly Counter<long> QueueRetries =
        Meter.CreateCounter<long>("workqueue_retries_total", description: "Total number of retries handled by workqueue");

    /// <summary>HTTP requests to the apiserver by status code and method.</summary>
    public static readonly Counter<long> RestClientRequests =
        Meter.CreateCounter<long>("rest_client_requests_total", description: "Number of HTTP requests, partitioned by status code and method");

    /// <summary>Objects held in informer caches, per kind.</summary>
    public static readonly UpDownCounter<long> CachedObjects =
        Meter.CreateUpDownCounter<long>("medops_informer_cached_objects", description: "Objects held in the shared informer caches, per kind");

    /// <summary>Watch restarts per kind and reason (closed, error, gone).</summary>
    public static readonly Counter<long> WatchRestarts =
        Meter.CreateCounter<long>("medops_informer_watch_restarts_total", description: "Watch reconnections per kind and reason");
}
