using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace MedOps.Runtime.Api;

/// <summary>
/// A thin REST layer over the client's authenticated <see cref="HttpClient"/>: list, watch, get,
/// create, server-side apply, patch, delete, for any kind described by a <see cref="ResourceType"/>.
/// The generated client lacks a generic watch with bookmarks and typed errors for 409/410, which the
/// informers and writers depend on; this class adds exactly that and nothing else.
/// </summary>
public sealed class KubeApi
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient http;
    private readonly k8s.Authentication.ServiceClientCredentials? credentials;
    private readonly Uri baseUri;
    private readonly TimeSpan requestTimeout;

    // The whole body of one list page, however large.
    private static readonly TimeSpan ListTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Wraps an existing client (its handlers: auth, rate limiting, metrics stay in force).</summary>
    public KubeApi(Kubernetes client, TimeSpan? requestTimeout = null)
    {
        http = client.HttpClient;
        // The generated client adds the token per request, not in the HTTP pipeline: do the same.
        credentials = client.Credentials;
        baseUri = client.BaseUri.AbsoluteUri.EndsWith('/') ? client.BaseUri : new Uri(client.BaseUri.AbsoluteUri + "/");
        this.requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);
        // Watches stream for minutes; each ordinary request gets its own timeout instead. A
        // client that has already sent requests keeps its setting (HttpClient forbids changes
        // then); its timeout covers only response headers of a watch, which arrive at once.
        if (http.Timeout != Timeout.InfiniteTimeSpan)
        {
            try
            {
                http.Timeout = Timeout.InfiniteTimeSpan;
            }
            catch (InvalidOperationException)
            {
                // Already used by another wrapper: keep its timeout.
            }
        }
    }

    /// <summary>Lists one page of objects.</summary>
    public async Task<ListPage<T>> ListAsync<T>(
        ResourceType type, string? @namespace, string? labelSelector = null, int? limit = null,
        string? continueToken = null, CancellationToken cancellationToken = default, string? resourceVersion = null, string? fieldSelector = null)
    {
        var items = new List<T>();
        var (listVersion, next) = await ListEachAsync<T>(type, @namespace, items.Add, labelSelector, limit, continueToken, resourceVersion, cancellationToken, fieldSelector);
        return new ListPage<T>(items, listVersion, next);
    }

    /// <summary>
    /// Lists one page of objects and hands each to <paramref name="onItem"/> as soon as it is
    /// decoded, so that a list of 5,000 Deployments never exists as 5,000 object graphs at once.
    /// Returns the list's resourceVersion and continue token.
    /// </summary>
    public async Task<(string ResourceVersion, string? Continue)> ListEachAsync<T>(
        ResourceType type, string? @namespace, Action<T> onItem, string? labelSelector = null, int? limit = null,
        string? continueToken = null, string? resourceVersion = null, CancellationToken cancellationToken = default, string? fieldSelector = null)
    {
        var query = Query(("labelSelector", labelSelector), ("fieldSelector", fieldSelector), ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("continue", continueToken),
            ("resourceVersion", resourceVersion));
        // Read as it arrives, with a deadline on the whole body: a list of 20,000 objects takes
        // seconds, and a stalled one must end in an error the informer retries, not a hang.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ListTimeout);
        using var response = await SendAsync(HttpMethod.Get, type.CollectionPath(@namespace) + query, null, null, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
        try
        {
            return await ListReader.ReadAsync(stream, onItem, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"listing {type.Plural} took longer than {ListTimeout.TotalSeconds:0}s");
        }
    }

    /// <summary>
    /// Streams watch events from <paramref name="resourceVersion"/>. Ends when the server closes the
    /// stream (its timeout) or <paramref name="cancellationToken"/> fires; transport errors throw.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        ResourceType type, string? @namespace, string resourceVersion, int timeoutSeconds, string? labelSelector = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default, string? fieldSelector = null)
    {
        var query = Query(
            ("watch", "true"), ("allowWatchBookmarks", "true"), ("resourceVersion", resourceVersion),
            ("timeoutSeconds", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("labelSelector", labelSelector),
            ("fieldSelector", fieldSelector));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, type.CollectionPath(@namespace) + query));
        await AuthenticateAsync(request, cancellationToken);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            yield return ParseWatchLine<T>(line);
        }
    }

    /// <summary>Reads one object; null when it does not exist.</summary>
    public async Task<T?> GetAsync<T>(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, type.ObjectPath(@namespace, name), null, null, cancellationToken);
            return await ReadAsync<T>(response, cancellationToken);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Creates an object.</summary>
    public async Task<T> CreateAsync<T>(ResourceType type, string? @namespace, T obj, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, type.CollectionPath(@namespace), KubernetesJson.Serialize(obj!), Json, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>
    /// Server-side apply: the object holds exactly the fields this manager wants to own; the server
    /// merges them and removes what the manager owned before but no longer sends.
    /// </summary>
    public async Task<T> ApplyAsync<T>(ResourceType type, string? @namespace, string name, T obj, string fieldManager, bool force = true, string? subresource = null, CancellationToken cancellationToken = default)
    {
        var path = type.ObjectPath(@namespace, name) + (subresource is null ? "" : "/" + subresource);
        var query = Query(("fieldManager", fieldManager), ("force", force ? "true" : null));
        using var response = await SendAsync(HttpMethod.Patch, path + query, KubernetesJson.Serialize(obj!), new MediaTypeHeaderValue("application/apply-patch+yaml"), cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>A JSON merge patch, optionally on a subresource such as "status".</summary>
    public async Task<T> MergePatchAsync<T>(ResourceType type, string? @namespace, string name, string patchJson, string? subresource = null, string? fieldManager = null, CancellationToken cancellationToken = default)
    {
        var path = type.ObjectPath(@namespace, name) + (subresource is null ? "" : "/" + subresource) + Query(("fieldManager", fieldManager));
        using var response = await SendAsync(HttpMethod.Patch, path, patchJson, new MediaTypeHeaderValue("application/merge-patch+json"), cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>A JSON patch (RFC 6902), used where a precondition such as "test" is needed.</summary>
    public async Task<T> JsonPatchAsync<T>(ResourceType type, string? @namespace, string name, string patchJson, string? subresource = null, CancellationToken cancellationToken = default)
    {
        var path = type.ObjectPath(@namespace, name) + (subresource is null ? "" : "/" + subresource);
        using var response = await SendAsync(HttpMethod.Patch, path, patchJson, new MediaTypeHeaderValue("application/json-patch+json"), cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>Replaces an object (optimistic concurrency through its resourceVersion).</summary>
    public async Task<T> ReplaceAsync<T>(ResourceType type, string? @namespace, string name, T obj, string? subresource = null, CancellationToken cancellationToken = default)
    {
        var path = type.ObjectPath(@namespace, name) + (subresource is null ? "" : "/" + subresource);
        using var response = await SendAsync(HttpMethod.Put, path, KubernetesJson.Serialize(obj!), Json, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>Deletes an object; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(ResourceType type, string? @namespace, string name, string propagationPolicy = "Background", string? uid = null, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default)
    {
        var options = new V1DeleteOptions
        {
            PropagationPolicy = propagationPolicy,
            GracePeriodSeconds = gracePeriodSeconds,
            Preconditions = uid is null ? null : new V1Preconditions { Uid = uid },
        };
        try
        {
            using var response = await SendAsync(HttpMethod.Delete, type.ObjectPath(@namespace, name), KubernetesJson.Serialize(options), Json, cancellationToken);
            return true;
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>GETs a raw path (discovery documents, health endpoints).</summary>
    public async Task<string> GetRawAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, path.TrimStart('/'), null, null, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativePath, string? body, MediaTypeHeaderValue? contentType, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        using var request = new HttpRequestMessage(method, new Uri(baseUri, relativePath));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType;
        }
        await AuthenticateAsync(request, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {relativePath} got no answer within {requestTimeout.TotalSeconds:0}s");
        }
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }
        return response;
    }

    private Task AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        credentials?.ProcessHttpRequestAsync(request, cancellationToken) ?? Task.CompletedTask;

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return KubernetesJson.Deserialize<T>(stream);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        V1Status? status = null;
        try
        {
            status = KubernetesJson.Deserialize<V1Status>(text);
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy's error page, for example): keep the raw text.
        }
        var message = status?.Message ?? text;
        throw new KubeApiException(response.StatusCode, status, $"{(int)response.StatusCode} {response.StatusCode}: {message}");
    }

    internal static WatchEvent<T> ParseWatchLine<T>(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.GetProperty("type").GetString();
        var obj = doc.RootElement.GetProperty("object");
        if (type == "ERROR")
        {
            return new WatchEvent<T>(WatchEventKind.Error, default, KubernetesJson.Deserialize<V1Status>(obj), null);
        }
        var rv = obj.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("resourceVersion", out var r) ? r.GetString() : null;
        var kind = type switch
        {
            "ADDED" => WatchEventKind.Added,
            "MODIFIED" => WatchEventKind.Modified,
            "DELETED" => WatchEventKind.Deleted,
            "BOOKMARK" => WatchEventKind.Bookmark,
            _ => throw new FormatException($"unknown watch event type {type}"),
        };
        // A bookmark carries only metadata.resourceVersion; don't build a half-empty object from it.
        var value = kind == WatchEventKind.Bookmark ? default : KubernetesJson.Deserialize<T>(obj);
        return new WatchEvent<T>(kind, value, null, rv);
    }

    private static string Query(params (string Key, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}

/// <summary>One page of a LIST.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);
