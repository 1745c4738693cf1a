using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using MedOps.NodeSimulator.Kube;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>
/// The latest copy of every object of one custom resource type, fed by a <see cref="ListWatchLoop{T}"/>;
/// reports each change (and each disappearance) by key to <paramref name="changed"/>.
/// </summary>
internal sealed class CustomObjectCache(Action<string, JsonObject?> changed) : IWatchSink<JsonObject>
{
    private readonly ConcurrentDictionary<string, JsonObject> objects = new(StringComparer.Ordinal);

    public JsonObject? Get(string key) => objects.TryGetValue(key, out var obj) ? obj : null;

    public IEnumerable<JsonObject> InNamespace(string ns) =>
        objects.Values.Where(o => JsonFields.Namespace(o) == ns);

    public IReadOnlyList<JsonObject> All() => [.. objects.Values];

    /// <summary>Stores a copy we got from our own write or a re-read, unless the cache already has a newer one.</summary>
    public void Store(JsonObject obj) =>
        objects.AddOrUpdate(JsonFields.Key(obj), obj, (_, existing) => IsOlder(obj, existing) ? existing : obj);

    public void Remove(string key) => objects.TryRemove(key, out _);

    public void Replace(IReadOnlyList<JsonObject> items)
    {
        var fresh = items.ToDictionary(JsonFields.Key, StringComparer.Ordinal);
        foreach (var key in objects.Keys.Where(k => !fresh.ContainsKey(k)).ToList())
        {
            objects.TryRemove(key, out _);
            changed(key, null);
        }

        foreach (var (key, obj) in fresh)
        {
            objects[key] = obj;
            changed(key, obj);
        }
    }

    public void Apply(WatchEventType type, JsonObject item)
    {
        var key = JsonFields.Key(item);
        if (type == WatchEventType.Deleted)
        {
            // Only if it is that object: a late event must not drop a successor of the same name.
            if (objects.TryGetValue(key, out var existing)
                && JsonFields.String(existing, "metadata", "uid") == JsonFields.String(item, "metadata", "uid"))
            {
                objects.TryRemove(new KeyValuePair<string, JsonObject>(key, existing));
            }

            changed(key, null);
            return;
        }

        Store(item);
        changed(key, item);
    }

    private static bool IsOlder(JsonObject candidate, JsonObject existing) =>
        JsonFields.String(candidate, "metadata", "uid") == JsonFields.String(existing, "metadata", "uid")
        && ulong.TryParse(JsonFields.ResourceVersion(candidate), out var a)
        && ulong.TryParse(JsonFields.ResourceVersion(existing), out var b)
        && a < b;
}
