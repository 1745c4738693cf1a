using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace MedOps.NodeSimulator.Kube;

/// <summary>
/// The latest copy of every object of one built-in type, fed by a <see cref="ListWatchLoop{T}"/>
/// and by the responses to our own writes. Keys are <c>namespace/name</c>, or the name for
/// cluster-scoped objects. Each change is reported to <paramref name="changed"/> with the object
/// and whether it is gone; <paramref name="replaced"/> runs after every full LIST.
/// </summary>
internal sealed class ObjectCache<T>(Action<T, bool> changed, Action? replaced = null) : IWatchSink<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, T> objects = new(StringComparer.Ordinal);
    private volatile bool synced;

    /// <summary>True once a full LIST has arrived: only then does a missing key mean the object does not exist.</summary>
    public bool IsSynced => synced;

    public static string Key(T obj) =>
        string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) ? obj.Metadata.Name : $"{obj.Metadata.NamespaceProperty}/{obj.Metadata.Name}";

    public T? Get(string key) => objects.TryGetValue(key, out var obj) ? obj : null;

    public IReadOnlyList<T> All() => [.. objects.Values];

    /// <summary>Stores a copy we got from our own write or a re-read, unless the cache already has a newer one.</summary>
    public void Store(T obj) =>
        objects.AddOrUpdate(Key(obj), obj, (_, existing) => IsOlder(obj, existing) ? existing : obj);

    /// <summary>Drops the object under its key, only if the cache holds that object (not a successor of the same name).</summary>
    public void Remove(T obj)
    {
        var key = Key(obj);
        if (objects.TryGetValue(key, out var existing) && existing.Metadata.Uid == obj.Metadata.Uid)
        {
            objects.TryRemove(new KeyValuePair<string, T>(key, existing));
        }
    }

    public void Replace(IReadOnlyList<T> items)
    {
        var fresh = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            fresh[Key(item)] = item;
        }

        foreach (var (key, old) in objects.ToList())
        {
            if (!fresh.ContainsKey(key) && objects.TryRemove(new KeyValuePair<string, T>(key, old)))
            {
                changed(old, true);
            }
        }

        foreach (var (key, obj) in fresh)
        {
            objects[key] = obj;
        }

        synced = true;
        foreach (var obj in fresh.Values)
        {
            changed(obj, false);
        }

        replaced?.Invoke();
    }

    public void Apply(WatchEventType type, T item)
    {
        if (type == WatchEventType.Deleted)
        {
            Remove(item);
            changed(item, true);
            return;
        }

        Store(item);
        changed(item, false);
    }

    /// <summary>
    /// True when <paramref name="candidate"/> is an older version of the same object than what we hold:
    /// our own write's response may reach the cache before the watch delivers earlier events.
    /// </summary>
    private static bool IsOlder(T candidate, T existing) =>
        candidate.Metadata.Uid == existing.Metadata.Uid
        && ulong.TryParse(candidate.Metadata.ResourceVersion, out var a)
        && ulong.TryParse(existing.Metadata.ResourceVersion, out var b)
        && a < b;
}
