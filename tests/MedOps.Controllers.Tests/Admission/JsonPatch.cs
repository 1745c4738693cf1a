using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Tests.Admission;

/// <summary>
/// Applies RFC 6902 add, replace and remove as the API server applies a mutating webhook's
/// patch, strictly: a missing parent, or replace and remove of a missing member, throw, as
/// they would fail the request.
/// </summary>
internal static class JsonPatch
{
    /// <summary><paramref name="document"/> with the base64 patch of an AdmissionResponse applied.</summary>
    public static JsonElement Apply(JsonElement document, string base64Patch)
    {
        var operations = JsonSerializer.Deserialize<List<JsonPatchOperation>>(Convert.FromBase64String(base64Patch))!;
        return Element(Apply(JsonNode.Parse(document.GetRawText())!, operations));
    }

    /// <summary><paramref name="document"/> with <paramref name="operations"/> applied, in order.</summary>
    public static JsonNode Apply(JsonNode document, IEnumerable<JsonPatchOperation> operations)
    {
        foreach (var operation in operations)
        {
            var segments = operation.Path.Split('/').Skip(1).Select(Unescape).ToList();
            Assert.NotEmpty(segments);
            var parent = Walk(document, segments[..^1], operation.Path);
            var last = segments[^1];
            switch (parent, operation.Op)
            {
                case (JsonObject obj, "add"):
                    obj[last] = operation.Value?.DeepClone();
                    break;
                case (JsonObject obj, "replace"):
                    Assert.True(obj.ContainsKey(last), $"replace of missing {operation.Path}");
                    obj[last] = operation.Value?.DeepClone();
                    break;
                case (JsonObject obj, "remove"):
                    Assert.True(obj.Remove(last), $"remove of missing {operation.Path}");
                    break;
                case (JsonArray array, "add"):
                    array.Insert(last == "-" ? array.Count : int.Parse(last, CultureInfo.InvariantCulture), operation.Value?.DeepClone());
                    break;
                case (JsonArray array, "replace"):
                    array[int.Parse(last, CultureInfo.InvariantCulture)] = operation.Value?.DeepClone();
                    break;
                case (JsonArray array, "remove"):
                    array.RemoveAt(int.Parse(last, CultureInfo.InvariantCulture));
                    break;
                default:
                    throw new InvalidOperationException($"cannot {operation.Op} {operation.Path}");
            }
        }
        return document;
    }

    private static JsonNode Walk(JsonNode document, IEnumerable<string> segments, string path)
    {
        var node = document;
        foreach (var segment in segments)
        {
            node = node switch
            {
                JsonObject obj when obj[segment] is { } child => child,
                JsonArray array when int.TryParse(segment, out var index) && index < array.Count && array[index] is { } item => item,
                _ => throw new InvalidOperationException($"{path}: no member \"{segment}\" to walk into"),
            };
        }
        return node;
    }

    private static string Unescape(string segment) => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    private static JsonElement Element(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}
