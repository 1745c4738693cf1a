using System.Globalization;

namespace MedOps.Operator.Telemetry;

/// <summary>
/// Counts every API server request in <c>rest_client_requests_total{code,method}</c>, as client-go
/// does. Installed into the Kubernetes client's HTTP pipeline.
/// </summary>
internal sealed class RestClientMetricsHandler : DelegatingHandler
{
    /// <summary>client-go's code label when no response arrived (timeout, refused connection).</summary>
    public const string NoResponseCode = "<error>";

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = new KeyValuePair<string, object?>(ControllerMetrics.Labels.Method, request.Method.Method);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            ControllerMetrics.RestClientRequests.Add(1, new KeyValuePair<string, object?>(ControllerMetrics.Labels.Code, NoResponseCode), method);
            throw;
        }

        var code = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        ControllerMetrics.RestClientRequests.Add(1, new KeyValuePair<string, object?>(ControllerMetrics.Labels.Code, code), method);
        return response;
    }
}
