using System.Net;
using System.Text;
using k8s;

namespace MedOps.Runtime.Tests.Writes;

/// <summary>
/// An in-process stand-in for the API server at the HTTP level, for runtime unit tests: it
/// records every request (method and path) and answers server-side applies by echoing the
/// object back with a resourceVersion, deletes with 200.
/// </summary>
internal sealed class FakeApiServer : DelegatingHandler
{
    private int resourceVersion = 100;

    public List<(HttpMethod Method, string Path)> Requests { get; } = [];

    /// <summary>A client whose every request this fake answers.</summary>
    public Kubernetes Client() => new(new KubernetesClientConfiguration { Host = "https://127.0.0.1:6443" }, this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add((request.Method, request.RequestUri!.AbsolutePath));
        var body = request.Content is null ? "{}" : await request.Content.ReadAsStringAsync(cancellationToken);
        if (request.Method == HttpMethod.Delete)
        {
            return Json("""{"kind": "Status", "status": "Success"}""");
        }
        var node = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        var metadata = node["metadata"]!.AsObject();
        metadata["resourceVersion"] = (++resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata["uid"] ??= Guid.NewGuid().ToString();
        return Json(node.ToJsonString());
    }

    private static HttpResponseMessage Json(string text) =>
        new(HttpStatusCode.OK) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
}
