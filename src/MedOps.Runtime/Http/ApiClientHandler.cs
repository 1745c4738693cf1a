using System.Net;
using MedOps.Runtime.Queue;
using MedOps.Runtime.Telemetry;

namespace MedOps.Runtime.Http;

/// <summary>
/// Sits in the Kubernetes client's HTTP pipeline: a client-side token bucket (client-go's QPS
/// and burst; watches are long-lived and exempt), retries of <c>429 Too Many Requests</c> after
/// the server's <c>Retry-After</c>, and the <c>rest_client_requests_total</c> metric.
/// </summary>
public sealed class ApiClientHandler(double qps, int burst, int maxRetries = 5) : DelegatingHandler
{
    private readonly TokenBucket bucket = new(qps, burst);

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var isWatch = request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true;
        for (var attempt = 0; ; attempt++)
        {
            if (!isWatch)
            {
                await bucket.WaitAsync(cancellationToken);
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
