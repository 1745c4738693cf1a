using System.Net;
using System.Text.RegularExpressions;
using MedOps.Operator.Telemetry;
using MedOps.Operator.Tests.TestSupport;
using MedOps.Runtime.Http;
using MedOps.Runtime.Telemetry;

namespace MedOps.Operator.Tests.Telemetry;

/// <summary>
/// The exact Prometheus names matter more than anything else about the metrics: dashboards and
/// alerts written for controller-runtime operators must work unchanged. These tests scrape the real
/// host's <c>/metrics</c>.
/// </summary>
public sealed partial class PrometheusExpositionTests
{
    // Label values unique to this class, so that measurements from parallel tests cannot interfere.
    private const string Controller = "exposition-test";
    private const string Lease = "exposition-test-lease";

    [Fact]
    public async Task Every_instrument_appears_under_its_controller_runtime_name_with_its_type()
    {
        await using var host = await RunningHost.StartAsync();
        RecordOneOfEach();

        var text = (await host.GetAsync(host.MetricsUrl + "/metrics")).Body;

        Assert.Contains("# TYPE controller_runtime_reconcile_total counter\n", text);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"exposition-test\",result=\"error\"} 1", text);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"exposition-test\",result=\"success\"} 2", text);
        Assert.Contains("# TYPE controller_runtime_reconcile_errors_total counter\n", text);
        Assert.Contains("controller_runtime_reconcile_errors_total{controller=\"exposition-test\"} 1", text);
        Assert.Contains("# TYPE controller_runtime_reconcile_time_seconds histogram\n", text);
        Assert.Contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"exposition-test\",le=\"0.005\"} 0", text);
        Assert.Contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"exposition-test\",le=\"0.05\"} 1", text);
        Assert.Contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"exposition-test\",le=\"+Inf\"} 3", text);
        Assert.Contains("controller_runtime_reconcile_time_seconds_count{controller=\"exposition-test\"} 3", text);
        Assert.Matches(@"controller_runtime_reconcile_time_seconds_sum\{controller=""exposition-test""\} 2\.04\d*", text);
        Assert.Contains("# TYPE workqueue_depth gauge\n", text);
        Assert.Contains("workqueue_depth{name=\"exposition-test\"} 2", text);
        Assert.Contains("# TYPE workqueue_adds_total counter\n", text);
        Assert.Contains("workqueue_adds_total{name=\"exposition-test\"} 3", text);
        Assert.Contains("# TYPE workqueue_queue_duration_seconds histogram\n", text);
        Assert.Contains("workqueue_queue_duration_seconds_count{name=\"exposition-test\"} 1", text);
        Assert.Contains("# TYPE rest_client_requests_total counter\n", text);
        Assert.Contains("rest_client_requests_total{code=\"418\",method=\"PATCH\"} 1", text);
        Assert.Contains("rest_client_requests_total{code=\"<error>\",method=\"DELETE\"} 1", text);
        Assert.Contains("# TYPE leader_election_master_status gauge\n", text);
        Assert.Contains("leader_election_master_status{name=\"exposition-test-lease\"} 1", text);
    }

    [Fact]
    public async Task Names_are_not_mangled_and_no_sdk_labels_are_added()
    {
        await using var host = await RunningHost.StartAsync();
        RecordOneOfEach();

        var text = (await host.GetAsync(host.MetricsUrl + "/metrics")).Body;
        var metricNames = TypeLine().Matches(text).Select(match => match.Groups[1].Value).ToHashSet();

        Assert.Superset(
            new HashSet<string>
            {
                "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total",
                "controller_runtime_reconcile_time_seconds", "workqueue_depth", "workqueue_adds_total",
                "workqueue_queue_duration_seconds", "rest_client_requests_total", "leader_election_master_status",
            },
            metricNames);
        Assert.DoesNotContain("_total_total", text);
        Assert.DoesNotContain("_seconds_seconds", text);
        Assert.DoesNotContain("otel_scope", text);
        Assert.DoesNotContain("target_info", text);
    }

    [Fact]
    public async Task Histograms_use_controller_runtimes_buckets()
    {
        await using var host = await RunningHost.StartAsync();
        RecordOneOfEach();

        var text = (await host.GetAsync(host.MetricsUrl + "/metrics")).Body;

        Assert.Equal(
            ["0.005", "0.01", "0.025", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4", "0.45", "0.5", "0.6", "0.7", "0.8", "0.9", "1",
             "1.25", "1.5", "1.75", "2", "2.5", "3", "3.5", "4", "4.5", "5", "6", "7", "8", "9", "10", "15", "20", "25", "30", "40", "50", "60", "+Inf"],
            Buckets(text, "controller_runtime_reconcile_time_seconds", $"controller=\"{Controller}\""));
        Assert.Equal(
            ["1E-08", "1E-07", "1E-06", "1E-05", "0.0001", "0.001", "0.01", "0.1", "1", "10", "100", "1000", "+Inf"],
            Buckets(text, "workqueue_queue_duration_seconds", $"name=\"{Controller}\""));
    }

    [Fact]
    public async Task The_scrape_is_prometheus_text_format()
    {
        await using var host = await RunningHost.StartAsync();
        RecordOneOfEach();

        using var response = await host.Http.GetAsync(host.MetricsUrl + "/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.0.4", response.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "version").Value);
    }

    [Fact]
    public async Task Prometheus_negotiating_openmetrics_gets_the_same_sample_names()
    {
        await using var host = await RunningHost.StartAsync();
        RecordOneOfEach();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.MetricsUrl + "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/openmetrics-text", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"exposition-test\",result=\"success\"} 2", text);
        Assert.Contains("controller_runtime_reconcile_errors_total{controller=\"exposition-test\"} 1", text);
        Assert.Contains("controller_runtime_reconcile_time_seconds_count{controller=\"exposition-test\"} 3", text);
        Assert.Contains("workqueue_adds_total{name=\"exposition-test\"} 3", text);
        Assert.Contains("rest_client_requests_total{code=\"418\",method=\"PATCH\"} 1", text);
        Assert.Contains("leader_election_master_status{name=\"exposition-test-lease\"} 1", text);
        Assert.EndsWith("# EOF\n", text);
    }

    private static void RecordOneOfEach()
    {
        // As the runtime's Controller records a finished reconcile: total by result, errors, time.
        var byController = new KeyValuePair<string, object?>(ControllerMetrics.Labels.Controller, Controller);
        void RecordReconcile(string result, TimeSpan duration)
        {
            RuntimeMetrics.ReconcileTotal.Add(1, byController, new KeyValuePair<string, object?>(ControllerMetrics.Labels.Result, result));
            if (result == ControllerMetrics.ReconcileResults.Error)
            {
                RuntimeMetrics.ReconcileErrors.Add(1, byController);
            }

            RuntimeMetrics.ReconcileTime.Record(duration.TotalSeconds, byController);
        }

        RecordReconcile(ControllerMetrics.ReconcileResults.Success, TimeSpan.FromMilliseconds(40));
        RecordReconcile(ControllerMetrics.ReconcileResults.Success, TimeSpan.FromSeconds(1));
        RecordReconcile(ControllerMetrics.ReconcileResults.Error, TimeSpan.FromSeconds(1));

        var queue = new KeyValuePair<string, object?>(ControllerMetrics.Labels.Name, Controller);
        ControllerMetrics.WorkqueueAdds.Add(3, queue);
        ControllerMetrics.WorkqueueDepth.Add(3, queue);
        ControllerMetrics.WorkqueueDepth.Add(-1, queue);
        ControllerMetrics.WorkqueueQueueDuration.Record(0.002, queue);
        ControllerMetrics.LeaderElectionMasterStatus.Record(1, new KeyValuePair<string, object?>(ControllerMetrics.Labels.Name, Lease));

        using var client = new HttpClient(new ApiClientHandler(qps: 0, burst: 1) { InnerHandler = new TeapotHandler() });
        client.PatchAsync("http://api.invalid/teapot", null).GetAwaiter().GetResult().Dispose();
        Assert.ThrowsAny<HttpRequestException>(() => client.DeleteAsync("http://api.invalid/fail").GetAwaiter().GetResult());
    }

    private static List<string> Buckets(string text, string metric, string label) =>
        Regex.Matches(text, Regex.Escape(metric) + @"_bucket\{" + Regex.Escape(label) + @",le=""([^""]+)""\}")
            .Select(match => match.Groups[1].Value)
            .ToList();

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    /// <summary>Answers 418 to everything except DELETE, which fails like a refused connection.</summary>
    private sealed class TeapotHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.Method == HttpMethod.Delete
                ? throw new HttpRequestException("Connection refused")
                : Task.FromResult(new HttpResponseMessage((HttpStatusCode)418));
    }
}
