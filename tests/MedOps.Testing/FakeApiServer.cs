using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace MedOps.Testing;

/// <summary>One request the reconciler made.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path, without the query.</param>
/// <param name="Query">The query string (with its '?'), or empty.</param>
/// <param name="Body">The body as JSON, or null.</param>
public sealed record ApiRequest(HttpMethod Method, string Path, string Query, JsonObject? Body)
{
    /// <summary>"PATCH /apis/apps/v1/namespaces/radiology/deployments/chest-xray" style, for assertions.</summary>
    public string Line => $"{Method} {Path}";
}

/// <summary>
/// An in-memory stand-in for the API server at the HTTP level, for unit tests of the runtime and
/// of the reconcilers (through <c>ManagerOptions.Transport</c>, or <see cref="Client"/>). It records every request and answers as
/// the API server would for the calls reconcilers make: an apply or create is echoed back with a
/// UID and a new resourceVersion; a patch of <c>status</c> is echoed; a delete succeeds; a GET
/// (discovery) is 404 unless <see cref="Serve"/> said otherwise.
/// </summary>
public sealed class FakeApiServer : DelegatingHandler
{
    private readonly Dictionary<string, string> served = new(StringComparer.Ordinal);
    private int resourceVersion = 1000;

    /// <summary>Every request, in order.</summary>
    public List<ApiRequest> Requests { get; } = [];

    /// <summary>The requests that are not reads.</summary>
    public IEnumerable<ApiRequest> Writes => Requests.Where(r => r.Method != HttpMethod.Get);

    /// <summary>When set, answers the requests it returns a response for (an outage, an error), before anything else.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Intercept { get; set; }

    /// <summary>A client whose every request this fake answers.</summary>
    public k8s.Kubernetes Client() => new(new k8s.KubernetesClientConfiguration { Host = "https://127.0.0.1:6443" }, this);

    /// <summary>Answers GET <paramref name="path"/> with <paramref name="json"/> (for discovery documents).</summary>
    public void Serve(string path, string json) => served[path] = json;

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var text = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var body = string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text) as JsonObject;
        var uri = request.RequestUri!;
        Requests.Add(new ApiRequest(request.Method, uri.AbsolutePath, uri.Query, body));
        if (Intercept?.Invoke(request) is { } intercepted)
        {
            return intercepted;
        }
        if (request.Method == HttpMethod.Get)
        {
            return served.TryGetValue(uri.AbsolutePath, out var json)
                ? Json(HttpStatusCode.OK, json)
                : Json(HttpStatusCode.NotFound, """{"kind": "Status", "status": "Failure", "reason": "NotFound", "code": 404}""");
        }
        if (request.Method == HttpMethod.Delete)
        {
            return Json(HttpStatusCode.OK, """{"kind": "Status", "status": "Success"}""");
        }
        var answer = body?.DeepClone().AsObject() ?? [];
        if (answer["metadata"] is JsonObject metadata)
        {
            metadata["resourceVersion"] = (++resourceVersion).ToString(CultureInfo.InvariantCulture);
            metadata["uid"] ??= Guid.NewGuid().ToString();
            metadata["generation"] ??= 1;
        }
        return Json(request.Method == HttpMethod.Post ? HttpStatusCode.Created : HttpStatusCode.OK, answer.ToJsonString());
    }

    private static HttpResponseMessage Json(HttpStatusCode code, string text) =>
        new(code) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
}
