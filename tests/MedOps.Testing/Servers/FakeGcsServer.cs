using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MedOps.Testing.Servers;

/// <summary>
/// A minimal Google Cloud Storage JSON API: object metadata, <c>alt=media</c> downloads and
/// listings by prefix (paged), on one bucket, optionally behind a Bearer token.
/// </summary>
public sealed class FakeGcsServer : IAsyncDisposable
{
    private const string ObjectsPath = "/storage/v1/b/" + Bucket + "/o";
    private readonly LoopbackServer _server;

    private FakeGcsServer(LoopbackServer server) => _server = server;

    public const string Bucket = "public-models";

    public Dictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, requests need <c>Authorization: Bearer &lt;token&gt;</c>, else 401.</summary>
    public string? RequiredToken { get; set; }

    public Uri Endpoint => _server.Address;

    public IReadOnlyCollection<RecordedRequest> Requests => _server.Requests;

    public static async Task<FakeGcsServer> StartAsync()
    {
        FakeGcsServer? fake = null;
        var server = await LoopbackServer.StartAsync(context => fake!.HandleAsync(context));
        fake = new FakeGcsServer(server);
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (RequiredToken is { } token && context.Request.Headers.Authorization != $"Bearer {token}")
        {
            context.Response.StatusCode = 401;
            return;
        }
        // The raw target: an object name's '/' arrives as %2F, which the decoded path keeps as is.
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var path = target.Split('?')[0];
        if (path == ObjectsPath)
        {
            await ListAsync(context);
            return;
        }
        if (!path.StartsWith(ObjectsPath + "/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }
        var name = Uri.UnescapeDataString(path[(ObjectsPath.Length + 1)..]);
        if (!Objects.TryGetValue(name, out var content))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 404, message = "No such object" } });
            return;
        }
        if (context.Request.Query["alt"] == "media")
        {
            context.Response.ContentLength = content.Length;
            await context.Response.Body.WriteAsync(content);
            return;
        }
        await WriteJsonAsync(context, Item(name, content));
    }

    private async Task ListAsync(HttpContext context)
    {
        var prefix = context.Request.Query["prefix"].FirstOrDefault() ?? "";
        var start = int.TryParse(context.Request.Query["pageToken"].FirstOrDefault(), out var token) ? token : 0;
        var names = Objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var page = names.Skip(start).Take(2).ToList();
        var next = start + page.Count < names.Count ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        await WriteJsonAsync(context, new Dictionary<string, object?>
        {
            ["kind"] = "storage#objects",
            ["items"] = page.Select(n => Item(n, Objects[n])).ToList(),
            ["nextPageToken"] = next,
        });
    }

    private static Dictionary<string, object> Item(string name, byte[] content) => new()
    {
        ["kind"] = "storage#object",
        ["name"] = name,
        ["bucket"] = Bucket,
        ["size"] = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task WriteJsonAsync(HttpContext context, object value)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(value));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
