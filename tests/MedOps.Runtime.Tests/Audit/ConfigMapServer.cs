using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MedOps.Runtime.Api;

namespace MedOps.Runtime.Tests.Audit;

/// <summary>
/// An in-memory API server for the ConfigMaps of one namespace, with the semantics the audit
/// store depends on: GET, LIST by label selector (paged by limit and continue), CREATE
/// (409 AlreadyExists), PUT with a resourceVersion (409 Conflict when stale), DELETE (with a
/// UID precondition). Thread-safe; <see cref="Latency"/> makes concurrent requests interleave.
/// </summary>
internal sealed class ConfigMapServer : DelegatingHandler
{
    private readonly object gate = new();
    private readonly SortedDictionary<string, JsonObject> maps = new(StringComparer.Ordinal);
    private long resourceVersion = 100;

    /// <summary>How long each request takes, at random up to this many milliseconds.</summary>
    public int Latency { get; set; }

    /// <summary>PUTs refused with 409 because their resourceVersion was stale.</summary>
    public int Conflicts { get; private set; }

    /// <summary>POSTs refused with 409 because the name was taken.</summary>
    public int AlreadyExists { get; private set; }

    /// <summary>Requests by method ("GET", "LIST", "POST", "PUT", "DELETE").</summary>
    public Dictionary<string, int> Counts { get; } = [];

    /// <summary>When set, runs before a PUT is decided (to slip a concurrent write in).</summary>
    public Action<string>? BeforePut { get; set; }

    /// <summary>A KubeApi whose requests this server answers.</summary>
    public KubeApi Api() => new(new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "https://127.0.0.1:6443" }, this));

    /// <summary>The names of the stored ConfigMaps, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (gate)
            {
                return [.. maps.Keys];
            }
        }
    }

    /// <summary>A stored ConfigMap's data value.</summary>
    public string Data(string name, string key)
    {
        lock (gate)
        {
            return maps[name]["data"]![key]!.GetValue<string>();
        }
    }

    /// <summary>A stored ConfigMap's label.</summary>
    public string? Label(string name, string key)
    {
        lock (gate)
        {
            return maps[name]["metadata"]!["labels"]?[key]?.GetValue<string>();
        }
    }

    /// <summary>Edits a stored data value as an administrator would (a new resourceVersion).</summary>
    public void Edit(string name, string key, Func<string, string> change)
    {
        lock (gate)
        {
            var map = maps[name];
            map["data"]![key] = change(map["data"]![key]!.GetValue<string>());
            map["metadata"]!["resourceVersion"] = Next();
        }
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Latency > 0)
        {
            await Task.Delay(Random.Shared.Next(0, Latency + 1), cancellationToken);
        }
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath.TrimEnd('/');
        var query = ParseQuery(request.RequestUri.Query);
        const string collection = "/api/v1/namespaces/";
        if (!path.StartsWith(collection, StringComparison.Ordinal))
        {
            return Status(HttpStatusCode.NotFound, "NotFound", path);
        }
        var parts = path[collection.Length..].Split('/');
        if (parts.Length < 2 || parts[1] != "configmaps")
        {
            return Status(HttpStatusCode.NotFound, "NotFound", path);
        }
        var name = parts.Length > 2 ? Uri.UnescapeDataString(parts[2]) : null;
        if (request.Method == HttpMethod.Put)
        {
            BeforePut?.Invoke(name!);
        }
        lock (gate)
        {
            var method = request.Method == HttpMethod.Get && name is null ? "LIST" : request.Method.Method;
            Counts[method] = Counts.GetValueOrDefault(method) + 1;
            return method switch
            {
                "LIST" => List(query),
                "GET" => maps.TryGetValue(name!, out var found) ? Json(HttpStatusCode.OK, found) : Status(HttpStatusCode.NotFound, "NotFound", name!),
                "POST" => Create(JsonNode.Parse(body!)!.AsObject()),
                "PUT" => Replace(name!, JsonNode.Parse(body!)!.AsObject()),
                "DELETE" => Delete(name!, body),
                _ => Status(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", method),
            };
        }
    }

    private HttpResponseMessage List(Dictionary<string, string> query)
    {
        var selector = query.GetValueOrDefault("labelSelector", "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('='))
            .ToList();
        var matching = maps.Values.Where(m => selector.All(s => m["metadata"]!["labels"]?[s[0]]?.GetValue<string>() == s[1])).ToList();
        var start = query.TryGetValue("continue", out var token) ? int.Parse(token, CultureInfo.InvariantCulture) : 0;
        var limit = query.TryGetValue("limit", out var l) ? int.Parse(l, CultureInfo.InvariantCulture) : int.MaxValue;
        var page = matching.Skip(start).Take(limit).ToList();
        var next = start + page.Count < matching.Count ? (start + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        var list = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMapList",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture), ["continue"] = next },
            ["items"] = new JsonArray([.. page.Select(m => (JsonNode)m.DeepClone())]),
        };
        return Json(HttpStatusCode.OK, list);
    }

    private HttpResponseMessage Create(JsonObject map)
    {
        var name = map["metadata"]!["name"]!.GetValue<string>();
        if (maps.ContainsKey(name))
        {
            AlreadyExists++;
            return Status(HttpStatusCode.Conflict, "AlreadyExists", name);
        }
        map["metadata"]!["resourceVersion"] = Next();
        map["metadata"]!["uid"] = Guid.NewGuid().ToString();
        maps[name] = map;
        return Json(HttpStatusCode.Created, map);
    }

    private HttpResponseMessage Replace(string name, JsonObject map)
    {
        if (!maps.TryGetValue(name, out var stored))
        {
            return Status(HttpStatusCode.NotFound, "NotFound", name);
        }
        if (map["metadata"]?["resourceVersion"]?.GetValue<string>() != stored["metadata"]!["resourceVersion"]!.GetValue<string>())
        {
            Conflicts++;
            return Status(HttpStatusCode.Conflict, "Conflict", name);
        }
        map["metadata"]!["resourceVersion"] = Next();
        map["metadata"]!["uid"] = stored["metadata"]!["uid"]!.DeepClone();
        maps[name] = map;
        return Json(HttpStatusCode.OK, map);
    }

    private HttpResponseMessage Delete(string name, string? body)
    {
        if (!maps.TryGetValue(name, out var stored))
        {
            return Status(HttpStatusCode.NotFound, "NotFound", name);
        }
        var uid = body is null ? null : JsonNode.Parse(body)?["preconditions"]?["uid"]?.GetValue<string>();
        if (uid is not null && uid != stored["metadata"]!["uid"]!.GetValue<string>())
        {
            return Status(HttpStatusCode.Conflict, "Conflict", name);
        }
        maps.Remove(name);
        return Json(HttpStatusCode.OK, new JsonObject { ["kind"] = "Status", ["status"] = "Success" });
    }

    private string Next() => (++resourceVersion).ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> ParseQuery(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");

    private static HttpResponseMessage Json(HttpStatusCode code, JsonNode body) =>
        new(code) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Status(HttpStatusCode code, string reason, string name) => Json(code, new JsonObject
    {
        ["kind"] = "Status",
        ["status"] = "Failure",
        ["reason"] = reason,
        ["message"] = $"configmaps \"{name}\": {reason}",
        ["code"] = (int)code,
    });
}
