using System.Diagnostics.Metrics;
using MedOps.Runtime.Telemetry;

namespace MedOps.Operator.Telemetry;

/// <summary>
/// The operator's metrics, named exactly as controller-runtime and client-go name theirs so that
/// existing dashboards and alerts work unchanged. Instrument names already carry the Prometheus
/// suffixes (<c>_total</c>, <c>_seconds</c>); the exporter is configured not to add any.
/// Record with the tag names in <see cref="Labels"/>.
/// </summary>
public static class ControllerMetrics
{
    /// <summary><c>controller_runtime_reconcile_total{controller,result}</c>: reconciles by result (see <see cref="ReconcileResults"/>).</summary>
    public static Counter<long> ReconcileTotal => RuntimeMetrics.ReconcileTotal;

    /// <summary><c>controller_runtime_reconcile_errors_total{controller}</c>: reconciles that returned an error.</summary>
    public static Counter<long> ReconcileErrors => RuntimeMetrics.ReconcileErrors;

    /// <summary><c>controller_runtime_reconcile_time_seconds{controller}</c>: how long each reconcile took.</summary>
    public static Histogram<double> ReconcileTime => RuntimeMetrics.ReconcileTime;

    /// <summary><c>workqueue_depth{name}</c>: add 1 when a key enters the queue, −1 when a worker takes it.</summary>
    public static UpDownCounter<long> WorkqueueDepth => RuntimeMetrics.QueueDepth;

    /// <summary><c>workqueue_adds_total{name}</c>: keys added to the queue (including duplicates).</summary>
    public static Counter<long> WorkqueueAdds => RuntimeMetrics.QueueAdds;

    /// <summary><c>workqueue_queue_duration_seconds{name}</c>: how long a key waited before a worker took it.</summary>
    public static Histogram<double> WorkqueueQueueDuration => RuntimeMetrics.QueueDuration;

    /// <summary><c>rest_client_requests_total{code,method}</c>: API server requests by HTTP status and verb.</summary>
    public static Counter<long> RestClientRequests => RuntimeMetrics.RestClientRequests;

    /// <summary><c>leader_election_master_status{name}</c>: 1 while this process holds the Lease, else 0.</summary>
    public static Gauge<long> LeaderElectionMasterStatus => RuntimeMetrics.LeaderElectionMasterStatus;

    /// <summary>The label (tag) names, as controller-runtime and client-go spell them.</summary>
    public static class Labels
    {
        /// <summary>The controller's name, for example <c>medicalmodel</c>.</summary>
        public const string Controller = "controller";

        /// <summary>A reconcile's outcome; one of <see cref="ReconcileResults"/>.</summary>
        public const string Result = "result";

        /// <summary>The work queue's name (the controller's name).</summary>
        public const string Name = "name";

        /// <summary>The HTTP status code as a string (<c>200</c>), or <c>&lt;error&gt;</c> when no response came.</summary>
        public const string Code = "code";

        /// <summary>The HTTP verb (<c>GET</c>, <c>PATCH</c>, ...).</summary>
        public const string Method = "method";
    }

    /// <summary>The values of the <c>result</c> label, as controller-runtime writes them.</summary>
    public static class ReconcileResults
    {
        /// <summary>Done, no requeue.</summary>
        public const string Success = "success";

        /// <summary>The reconcile returned an error (retried with backoff).</summary>
        public const string Error = "error";

        /// <summary>Requeued at once (rate limited).</summary>
        public const string Requeue = "requeue";

        /// <summary>Requeued after a fixed delay.</summary>
        public const string RequeueAfter = "requeue_after";
    }
}
