using k8s;
using k8s.Models;

namespace MedOps.Runtime.Informers;

/// <summary>
/// The informer's store: the last seen version of every object, with secondary indexes
/// (by namespace, by controller owner, plus any the user adds). Readers never call the API.
/// </summary>
public sealed class ObjectCache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Index of objects by namespace.</summary>
    public const string NamespaceIndex = "namespace";

    /// <summary>Index of objects by the UID of their controller owner reference.</summary>
    public const string OwnerIndex = "owner";

    private readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<ObjectKey, T> items = [];
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
        gate.EnterReadLock();
        try
        {
            return items.GetValueOrDefault(key);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>The cached object by namespace and name, or null.</summary>
    public T? Get(string? @namespace, string name) => Get(new ObjectKey(@namespace ?? "", name));

    /// <summary>All cached objects, or those of one namespace.</summary>
    public IReadOnlyList<T> List(string? @namespace = null) =>
        @namespace is null ? Snapshot() : ByIndex(NamespaceIndex, @namespace);

    /// <summary>Objects whose index <paramref name="indexName"/> yields <paramref name="value"/>.</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        gate.EnterReadLock();
        try
        {
            if (!indexes.TryGetValue(indexName, out var index))
            {
                throw new ArgumentException($"no index named {indexName}", nameof(indexName));
            }
            return index.TryGetValue(value, out var keys) ? keys.Select(k => items[k]).ToList() : [];
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

    /// <summary>Stores an object; returns the version it replaced, if any.</summary>
    internal T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        gate.EnterWriteLock();
        try
        {
            items.TryGetValue(key, out var old);
            if (old is not null)
            {
                Unindex(key, old);
            }
            items[key] = obj;
            Index(key, obj);
            return old;
        }
        finally
        {
            gate.ExitWriteLock();
        }
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
            return old;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    private IReadOnlyList<T> Snapshot()
    {
        gate.EnterReadLock();
        try
        {
            return items.Values.ToList();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    private void Index(ObjectKey key, T obj)
    {
        foreach (var (name, indexer) in indexers)
        {
            foreach (var value in indexer(obj))
            {
                if (!indexes[name].TryGetValue(value, out var keys))
                {
                    indexes[name][value] = keys = [];
                }
                keys.Add(key);
            }
        }
    }

    private void Unindex(ObjectKey key, T obj)
    {
        foreach (var (name, indexer) in indexers)
        {
            foreach (var value in indexer(obj))
            {
                if (indexes[name].TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    indexes[name].Remove(value);
                }
            }
        }
    }
}
