using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MedOps.Runtime.Admission;

/// <summary>
/// One RFC 6902 JSON Patch operation, as a mutating webhook answers with
/// (<c>patchType: JSONPatch</c>).
/// </summary>
/// <param name="Op">add, replace, remove or test.</param>
/// <param name="Path">A JSON Pointer; escape each segment with <see cref="Escape"/>.</param>
/// <param name="Value">The value for add, replace and test.</param>
public sealed record JsonPatchOperation(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? Value = null)
{
    /// <summary>Adds (or, for an object member, overwrites) the value at <paramref name="path"/>.</summary>
    public static JsonPatchOperation Add(string path, JsonNode? value) => new("add", path, value);

    /// <summary>Replaces the value at <paramref name="path"/>, which must exist.</summary>
    public static JsonPatchOperation Replace(string path, JsonNode? value) => new("replace", path, value);

    /// <summary>Removes the value at <paramref name="path"/>, which must exist.</summary>
    public static JsonPatchOperation Remove(string path) => new("remove", path);

    /// <summary>Escapes one segment of a JSON Pointer: <c>medops.io/created-by</c> becomes <c>medops.io~1created-by</c>.</summary>
    public static string Escape(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }
}
