using System.Net;
using System.Net.Http.Headers;
using MedOps.Runtime.Http;

namespace MedOps.Runtime.Tests.Http;

public sealed class ApiClientHandlerTests
{
    [Fact]
    public async Task A_429_is_retried_after_the_servers_retry_after()
    {
        var server = new ScriptedServer(
            Respond(HttpStatusCode.TooManyRequests, retryAfterSeconds: 0),
            Respond(HttpStatusCode.TooManyRequests, retryAfterSeconds: 0),
            Respond(HttpStatusCode.OK));
        using var client = new HttpClient(new ApiClientHandler(qps: 1000, burst: 1000) { InnerHandler = server });

        using var response = await client.GetAsync("https://127.0.0.1/api/v1/pods");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task Retries_stop_at_the_limit_and_the_429_reaches_the_caller()
    {
        var server = new ScriptedServer(Enumerable.Repeat(0, 10).Select(_ => Respond(HttpStatusCode.TooManyRequests, 0)).ToArray());
        using var client = new HttpClient(new ApiClientHandler(qps: 1000, burst: 1000, maxRetries: 2) { InnerHandler = server });

        using var response = await client.GetAsync("https://127.0.0.1/api/v1/pods");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task Requests_beyond_the_burst_wait_for_tokens_but_watches_do_not()
    {
        var server = new ScriptedServer(Enumerable.Repeat(0, 10).Select(_ => Respond(HttpStatusCode.OK)).ToArray());
        using var client = new HttpClient(new ApiClientHandler(qps: 5, burst: 1) { InnerHandler = server });

        (await client.GetAsync("https://127.0.0.1/api/v1/pods")).Dispose();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        (await client.GetAsync("https://127.0.0.1/api/v1/pods?watch=true")).Dispose();
        Assert.True(watch.ElapsedMilliseconds < 150, $"a watch waited {watch.ElapsedMilliseconds} ms for a token");

        var throttled = System.Diagnostics.Stopwatch.StartNew();
        (await client.GetAsync("https://127.0.0.1/api/v1/pods")).Dispose();
        Assert.True(throttled.ElapsedMilliseconds >= 150, $"the second request waited only {throttled.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task The_leader_lease_never_waits_for_a_token()
    {
        var server = new ScriptedServer(Enumerable.Repeat(0, 10).Select(_ => Respond(HttpStatusCode.OK)).ToArray());
        // One token a second: a request that had to wait would wait about a second.
        using var client = new HttpClient(new ApiClientHandler(qps: 1, burst: 1) { InnerHandler = server });
        (await client.GetAsync("https://127.0.0.1/api/v1/pods")).Dispose();

        var renew = System.Diagnostics.Stopwatch.StartNew();
        (await client.PutAsync("https://127.0.0.1/apis/coordination.k8s.io/v1/namespaces/medops-system/leases/medops-operator", null)).Dispose();
        (await client.PutAsync("https://127.0.0.1/apis/coordination.k8s.io/v1/namespaces/medops-system/leases/medops-operator", null)).Dispose();

        Assert.True(renew.ElapsedMilliseconds < 500, $"lease renewals waited {renew.ElapsedMilliseconds} ms for tokens");
    }

    [Fact]
    public async Task The_limit_is_lifted_once_the_server_shows_priority_and_fairness_when_asked()
    {
        var server = new ScriptedServer(Enumerable.Repeat(0, 10).Select(_ => Respond(HttpStatusCode.OK, withFlowSchema: true)).ToArray());
        var handler = new ApiClientHandler(qps: 1, burst: 1, liftWhenServerHasFairness: true) { InnerHandler = server };
        using var client = new HttpClient(handler);
        Assert.True(handler.IsRateLimited);

        (await client.GetAsync("https://127.0.0.1/api/v1/pods")).Dispose();
        var unthrottled = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync("https://127.0.0.1/api/v1/pods")).Dispose();
        }

        Assert.False(handler.IsRateLimited);
        Assert.True(unthrottled.ElapsedMilliseconds < 500, $"5 requests at 1 qps took {unthrottled.ElapsedMilliseconds} ms after the limit was lifted");
    }

    [Fact]
    public async Task An_explicit_limit_stays_even_when_the_server_has_priority_and_fairness()
    {
        var server = new ScriptedServer(Respond(HttpStatusCode.OK, withFlowSchema: true));
        var handler = new ApiClientHandler(qps: 5, burst: 1) { InnerHandler = server };
        using var client = new HttpClient(handler);

        (await client.GetAsync("https://127.0.0.1/api/v1/pods")).Dispose();

        Assert.True(handler.IsRateLimited);
    }

    [Fact]
    public void A_rate_of_zero_or_less_means_no_client_side_limit() =>
        Assert.False(new ApiClientHandler(qps: -1, burst: 0).IsRateLimited);

    private static Func<HttpResponseMessage> Respond(HttpStatusCode code, int? retryAfterSeconds = null, bool withFlowSchema = false) => () =>
    {
        var response = new HttpResponseMessage(code);
        if (withFlowSchema)
        {
            response.Headers.Add(ApiClientHandler.FlowSchemaHeader, "186c0c89-fe29-426a-8e4a-078bbd6d736f");
        }
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }
        return response;
    };

    private sealed class ScriptedServer(params Func<HttpResponseMessage>[] responses) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(responses[Requests++]());
    }
}
