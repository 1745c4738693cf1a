using System.Text.Json;
using k8s;

namespace MedOps.Runtime.Api;

/// <summary>
/// The client library's own JSON settings (its converters for quantities, int-or-string and
/// dates), for the hot paths that work on UTF-8 bytes and readers directly. KubernetesJson only
/// offers strings and whole documents; going through them cost a string and a transcoding per
/// object, which showed in start-up with 20,000 objects.
/// </summary>
public static class KubeJson
{
    /// <summary>The options KubernetesJson uses (captured, never modified).</summary>
    public static JsonSerializerOptions Options { get; } = Capture();

    /// <summary>Serializes by the object's runtime type, as KubernetesJson does.</summary>
    public static byte[] SerializeToUtf8Bytes(object value) => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);

    /// <summary>Deserializes UTF-8 JSON.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"null where a {typeof(T).Name} was expected");

    /// <summary>Deserializes the value the reader is at, leaving it on the value's last token.</summary>
    public static T Deserialize<T>(ref Utf8JsonReader reader) =>
        JsonSerializer.Deserialize<T>(ref reader, Options) ?? throw new JsonException($"null where a {typeof(T).Name} was expected");

    private static JsonSerializerOptions Capture()
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesJson did not hand out its serializer options");
    }
}
