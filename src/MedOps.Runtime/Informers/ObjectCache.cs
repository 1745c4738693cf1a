using k8s;
using k8s.Models;
using MedOps.Runtime.Api;

namespace MedOps.Runtime.Informers;

/// <summary>
/// The informer's store: the last seen version of every object, with secondary indexes
/// (by namespace, by controller owner, plus any the user adds). Readers never call the API.
/// </summary>
/// <remarks>
/// Objects are kept as compact UTF-8 JSON, not as object graphs: a Deployment's typed graph
/// costs about 5 times its JSON on the managed heap, and an operator watching 5,000 models
/// (20,000 objects) must stay within 200 MB. Every read decodes a private copy, which costs
/// tens of microseconds and makes the cache safe from callers that modify what they read, as
/// controller-runtime's DeepCopy on read does. The resourceVersion and index values are kept
/// beside the JSON so a re-list and an index lookup decode nothing.
/// </remarks>
public sealed class ObjectCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Index of objects by namespace.</summary>
    public const string NamespaceIndex = "namespace";

    /// <summary>Index of objects by the UID of their controller owner reference.</summary>
    public const string OwnerIndex = "owner";

    private readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<ObjectKey, Entry> items = [];
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> indexers = new()
    {
        [NamespaceIndex] = o => [o.Metadata.NamespaceProperty ?? ""],
        [OwnerIndex] = o => o.Metadata.OwnerReferences?.Where(r => r.Controller == true).Select(r => r.Uid) ?? [],
    };
    private readonly Dictionary<string, Dictionary<string, HashSet<ObjectKey>>> indexes = [];

    /// <summary>Creates an empty cache.</summary>
    public ObjectCache()
    {
        foreach (var name in indexers.Keys)
        {
            indexes[name] = [];
        }
    }

    /// <summary>Number of cached objects.</summary>
    public int Count
    {
        get
        {
            gate.EnterReadLock();
            try
            {
                return items.Count;
            }
            finally
            {
                gate.ExitReadLock();
            }
        }
    }

    /// <summary>Adds an index; only before the informer starts.</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexer)
    {
        gate.EnterWriteLock();
        try
        {
            if (items.Count > 0)
            {
                throw new InvalidOperationException("indexers must be added before the cache fills");
            }
            indexers[name] = indexer;
            indexes[name] = [];
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>The cached object, or null.</summary>
    public T? Get(ObjectKey key)
    {
        Entry? entry;
        gate.EnterReadLock();
        try
        {
            items.TryGetValue(key, out entry);
        }
        finally
        {
            gate.ExitReadLock();
        }
        // Decoded outside the lock: writers need not wait for readers' JSON work.
        return entry is null ? null : Decode(entry);
    }

    /// <summary>The cached object by namespace and name, or null.</summary>
    public T? Get(string? @namespace, string name) => Get(new ObjectKey(@namespace ?? "", name));

    /// <summary>All cached objects, or those of one namespace.</summary>
    public IReadOnlyList<T> List(string? @namespace = null) =>
        @namespace is null ? Snapshot() : ByIndex(NamespaceIndex, @namespace);

    /// <summary>Objects whose index <paramref name="indexName"/> yields <paramref name="value"/>.</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        List<Entry> entries;
        gate.EnterReadLock();
        try
        {
            if (!indexes.TryGetValue(indexName, out var index))
            {
                throw new ArgumentException($"no index named {indexName}", nameof(indexName));
            }
            entries = index.TryGetValue(value, out var keys) ? [.. keys.Select(k => items[k])] : [];
        }
        finally
        {
            gate.ExitReadLock();
        }
        return [.. entries.Select(Decode)];
    }

    /// <summary>The keys of the objects whose index <paramref name="indexName"/> yields <paramref name="value"/>, without decoding them.</summary>
    public IReadOnlyList<ObjectKey> KeysByIndex(string indexName, string value)
    {
        gate.EnterReadLock();
        try
        {
            if (!indexes.TryGetValue(indexName, out var index))
            {
                throw new ArgumentException($"no index named {indexName}", nameof(indexName));
            }
            return index.TryGetValue(value, out var keys) ? [.. keys] : [];
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>The resourceVersion of the cached object, or null; decodes nothing.</summary>
    public string? ResourceVersionOf(ObjectKey key)
    {
        gate.EnterReadLock();
        try
        {
            return items.TryGetValue(key, out var entry) ? entry.ResourceVersion : null;
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>The keys of every cached object.</summary>
    public IReadOnlyCollection<ObjectKey> Keys()
    {
        gate.EnterReadLock();
        try
        {
            return items.Keys.ToList();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Stores a copy of an object; returns the version it replaced, if any.</summary>
    internal T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        var entry = Encode(obj);
        Entry? old;
        gate.EnterWriteLock();
        try
        {
            if (items.TryGetValue(key, out old))
            {
                Unindex(key, old);
            }
            items[key] = entry;
            Index(key, entry);
        }
        finally
        {
            gate.ExitWriteLock();
        }
        return old is null ? null : Decode(old);
    }

    /// <summary>Removes an object; returns the removed version, if any.</summary>
    internal T? Remove(ObjectKey key)
    {
        gate.EnterWriteLock();
        try
        {
            if (!items.Remove(key, out var old))
            {
                return null;
            }
            Unindex(key, old);
            return Decode(old);
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    private IReadOnlyList<T> Snapshot()
    {
        List<Entry> entries;
        gate.EnterReadLock();
        try
        {
            entries = [.. items.Values];
        }
        finally
        {
            gate.ExitReadLock();
        }
        return [.. entries.Select(Decode)];
    }

    private Entry Encode(T obj)
    {
        var values = new List<(string Index, string Value)>();
        foreach (var (name, indexer) in indexers)
        {
            values.AddRange(indexer(obj).Select(v => (name, v)));
        }
        return new Entry(KubeJson.SerializeToUtf8Bytes(obj), obj.Metadata.ResourceVersion, [.. values]);
    }

    private static T Decode(Entry entry) => KubeJson.Deserialize<T>(entry.Json);

    private void Index(ObjectKey key, Entry entry)
    {
        foreach (var (name, value) in entry.IndexValues)
        {
            if (!indexes[name].TryGetValue(value, out var keys))
            {
                indexes[name][value] = keys = [];
            }
            keys.Add(key);
        }
    }

    private void Unindex(ObjectKey key, Entry entry)
    {
        foreach (var (name, value) in entry.IndexValues)
        {
            if (indexes[name].TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
            {
                indexes[name].Remove(value);
            }
        }
    }

    // One cached object: its JSON, and what re-lists and indexes need without decoding it.
    private sealed record Entry(byte[] Json, string? ResourceVersion, (string Index, string Value)[] IndexValues);
}
