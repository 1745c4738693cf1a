using System.Net;
using MedOps.Runtime.Queue;
using MedOps.Runtime.Telemetry;

namespace MedOps.Runtime.Http;

/// <summary>
/// Sits in the Kubernetes client's HTTP pipeline: a client-side token bucket (client-go's QPS
/// and burst; watches and the leader Lease are exempt), retries of <c>429 Too Many Requests</c> after
/// the server's <c>Retry-After</c>, and the <c>rest_client_requests_total</c> metric.
/// </summary>
/// <remarks>
/// A <paramref name="qps"/> of 0 or less turns the bucket off. With
/// <paramref name="liftWhenServerHasFairness"/>, the bucket applies only until the first answer
/// shows that the apiserver runs API Priority and Fairness (the
/// <c>X-Kubernetes-PF-FlowSchema-UID</c> header): then the server queues and sheds load fairly
/// itself, and a client-side limit only slows the operator. Flux detects APF the same way, and
/// controller-runtime turned its client-side limit off by default for the same reason
/// (kubernetes-sigs/controller-runtime#3119).
/// </remarks>
public sealed class ApiClientHandler(double qps, int burst, int maxRetries = 5, bool liftWhenServerHasFairness = false) : DelegatingHandler
{
    /// <summary>The response header by which an apiserver with API Priority and Fairness names the flow schema it matched.</summary>
    public const string FlowSchemaHeader = "X-Kubernetes-PF-FlowSchema-UID";

    // Requests for coordination.k8s.io objects (the leader Lease) skip the bucket.
    private const string LeasePathPrefix = "/apis/coordination.k8s.io/";

    private readonly TokenBucket? bucket = qps > 0 ? new(qps, Math.Max(1, burst)) : null;
    private volatile bool limited = qps > 0;

    /// <summary>Whether requests currently wait for the client-side token bucket.</summary>
    public bool IsRateLimited => limited;

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Watches are long-lived, and the leader lease must renew on time whatever the
        // controllers are doing (a lease stuck behind a burst of writes would cost leadership):
        // neither waits for the bucket.
        var exempt = request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true
            || request.RequestUri?.AbsolutePath.StartsWith(LeasePathPrefix, StringComparison.Ordinal) == true;
        for (var attempt = 0; ; attempt++)
        {
            if (!exempt && limited)
            {
                await bucket!.WaitAsync(cancellationToken);
            }
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException)
            {
                RuntimeMetrics.RestClientRequests.Add(1, new("code", "<error>"), new("method", request.Method.Method));
                throw;
            }
            RuntimeMetrics.RestClientRequests.Add(1, new("code", ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)), new("method", request.Method.Method));
            if (limited && liftWhenServerHasFairness && response.Headers.Contains(FlowSchemaHeader))
            {
                limited = false;
            }
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= maxRetries || request.Content is StreamContent)
            {
                return response;
            }
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait, cancellationToken);
        }
    }
}
