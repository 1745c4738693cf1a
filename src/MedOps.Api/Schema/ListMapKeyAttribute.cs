namespace MedOps.Api.Schema;

/// <summary>
/// Marks a list of objects as a map keyed by one field (<c>x-kubernetes-list-type: map</c>):
/// at most one item per key, and server-side apply merges items by that key instead of
/// replacing the whole list. Used for <c>conditions</c>, keyed by <c>type</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapKeyAttribute(string key) : Attribute
{
    /// <summary>The JSON name of the key field; it must be required in the item schema.</summary>
    public string Key { get; } = key;
}
