namespace MedOps.Runtime.Informers;

/// <summary>What happened to a cached object.</summary>
public enum InformerEventKind
{
    /// <summary>First seen.</summary>
    Added,

    /// <summary>Changed (<see cref="InformerEvent{T}.Old"/> holds the previous version).</summary>
    Updated,

    /// <summary>Gone; for deletes found by a re-list, the last version the cache knew.</summary>
    Deleted,
}

/// <summary>A change of the cache, delivered to the informer's handlers.</summary>
public sealed record InformerEvent<T>(InformerEventKind Kind, T Object, T? Old = null)
    where T : class;
