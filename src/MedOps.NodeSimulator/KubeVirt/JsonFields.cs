using System.Text.Json;
using System.Text.Json.Nodes;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>
/// Reading and writing fields of untyped custom objects (VirtualMachine, DataVolume), which the
/// simulator handles as JSON: it must keep every field it does not know.
/// </summary>
internal static class JsonFields
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(name, out var child) ? child : null;
        }

        return node;
    }

    public static string? String(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool? Bool(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : null;

    public static long? Long(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number)
            ? number
            : null;

    public static IEnumerable<JsonObject> Objects(JsonNode? node, params string[] path) =>
        At(node, path) is JsonArray array ? array.OfType<JsonObject>() : [];

    public static string Namespace(JsonObject obj) => String(obj, "metadata", "namespace") ?? string.Empty;

    public static string Name(JsonObject obj) => String(obj, "metadata", "name") ?? string.Empty;

    public static string Key(JsonObject obj) => $"{Namespace(obj)}/{Name(obj)}";

    public static string? ResourceVersion(JsonObject obj) => String(obj, "metadata", "resourceVersion");

    /// <summary>A deep copy of the object's status, or an empty object.</summary>
    public static JsonObject StatusCopy(JsonObject obj) =>
        obj["status"] is JsonObject status ? (JsonObject)status.DeepClone() : [];

    /// <summary>The object with <paramref name="status"/> in place of its status (a copy; the input is untouched).</summary>
    public static JsonObject WithStatus(JsonObject obj, JsonObject status)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["status"] = status.DeepClone();
        return copy;
    }

    /// <summary>
    /// Sets a condition in <c>status.conditions</c>. Its lastTransitionTime moves when its status
    /// or reason changes: the simulator uses it as "in this state since", so its timers survive restarts.
    /// </summary>
    public static void SetCondition(JsonObject status, string type, bool isTrue, string reason, string message, DateTime now)
    {
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }

        var text = isTrue ? "True" : "False";
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => String(c, "type") == type);
        if (existing is null)
        {
            existing = new JsonObject { ["type"] = type };
            conditions.Add(existing);
        }

        if (String(existing, "status") != text || String(existing, "reason") != reason || String(existing, "lastTransitionTime") is null)
        {
            existing["lastTransitionTime"] = Timestamps.Format(Timestamps.NextWholeSecond(now));
        }

        existing["status"] = text;
        existing["reason"] = reason;
        existing["message"] = message;
    }

    /// <summary>Since when the condition has had this status and reason, if it has.</summary>
    public static DateTime? ConditionSince(JsonObject? status, string type, bool isTrue, string reason)
    {
        var condition = Objects(status, "conditions").FirstOrDefault(c => String(c, "type") == type);
        return condition is not null && String(condition, "status") == (isTrue ? "True" : "False") && String(condition, "reason") == reason
            ? Timestamps.Parse(String(condition, "lastTransitionTime"))
            : null;
    }
}
