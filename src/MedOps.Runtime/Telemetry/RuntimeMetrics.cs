using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace MedOps.Runtime.Telemetry;

/// <summary>
/// The runtime's instruments, named exactly as controller-runtime and client-go name theirs so
/// that existing dashboards and alerts work unchanged. The host exports the meter and the
/// activity source (Prometheus scrape, OTLP).
/// </summary>
public static class RuntimeMetrics
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string SourceName = "MedOps";

    // controller-runtime's bucket boundaries, so existing dashboards' quantiles line up.
    private static readonly double[] ReconcileTimeBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    private static readonly double[] QueueDurationBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];

    private static readonly string? Version =
        typeof(RuntimeMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    /// <summary>The one meter of the operator: every instrument below lives on it.</summary>
    public static readonly Meter Meter = new(SourceName, Version);

    /// <summary>Spans: one per reconcile.</summary>
    public static readonly ActivitySource Tracing = new(SourceName, Version);

    /// <summary>Reconciles per controller and result (success, error, requeue, requeue_after).</summary>
    public static readonly Counter<long> ReconcileTotal =
        Meter.CreateCounter<long>("controller_runtime_reconcile_total", description: "Total number of reconciliations per controller");

    /// <summary>Reconcile errors per controller.</summary>
    public static readonly Counter<long> ReconcileErrors =
        Meter.CreateCounter<long>("controller_runtime_reconcile_errors_total", description: "Total number of reconciliation errors per controller");

    /// <summary>Reconcile duration.</summary>
    public static readonly Histogram<double> ReconcileTime =
        Meter.CreateHistogram("controller_runtime_reconcile_time_seconds", unit: "s", description: "Length of time per reconciliation per controller",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ReconcileTimeBuckets });

    /// <summary>Items added to a work queue.</summary>
    public static readonly Counter<long> QueueAdds =
        Meter.CreateCounter<long>("workqueue_adds_total", description: "Total number of adds handled by workqueue");

    /// <summary>Items waiting in a work queue.</summary>
    public static readonly UpDownCounter<long> QueueDepth =
        Meter.CreateUpDownCounter<long>("workqueue_depth", description: "Current depth of workqueue");

    /// <summary>Time an item waits in a queue before a worker takes it.</summary>
    public static readonly Histogram<double> QueueDuration =
        Meter.CreateHistogram("workqueue_queue_duration_seconds", unit: "s", description: "How long in seconds an item stays in workqueue before being requested",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QueueDurationBuckets });

    /// <summary>Retries (rate-limited re-adds) of a work queue.</summary>
    public static readonly Counter<long> QueueRetries =
        Meter.CreateCounter<long>("workqueue_retries_total", description: "Total number of retries handled by workqueue");

    /// <summary>HTTP requests to the apiserver by status code and method.</summary>
    public static readonly Counter<long> RestClientRequests =
        Meter.CreateCounter<long>("rest_client_requests_total", description: "Number of HTTP requests, partitioned by status code and method");

    /// <summary>1 while this process holds the leader lease named by the <c>name</c> label, else 0.</summary>
    public static readonly Gauge<long> LeaderElectionMasterStatus =
        Meter.CreateGauge<long>("leader_election_master_status", description: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease.");

    /// <summary>Objects held in informer caches, per kind.</summary>
    public static readonly UpDownCounter<long> CachedObjects =
        Meter.CreateUpDownCounter<long>("medops_informer_cached_objects", description: "Objects held in the shared informer caches, per kind");

    /// <summary>Watch restarts per kind and reason (closed, error, gone).</summary>
    public static readonly Counter<long> WatchRestarts =
        Meter.CreateCounter<long>("medops_informer_watch_restarts_total", description: "Watch reconnections per kind and reason");

    private static readonly double[] AdmissionTimeBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    /// <summary>Admission requests answered, per kind, operation and verdict.</summary>
    public static readonly Counter<long> AdmissionRequests =
        Meter.CreateCounter<long>("medops_admission_requests_total", description: "Admission reviews answered by the validating webhook, per kind, operation and whether the request was allowed");

    /// <summary>Time to answer an admission request.</summary>
    public static readonly Histogram<double> AdmissionTime =
        Meter.CreateHistogram("medops_admission_duration_seconds", unit: "s", description: "Time the validating webhook took to decide, per kind",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AdmissionTimeBuckets });
}
