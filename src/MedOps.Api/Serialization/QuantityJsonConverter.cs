using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedOps.Api.Serialization;

/// <summary>
/// Reads a quantity field that the API server may hold as a JSON number (<c>cpu: 4</c>) or a
/// string (<c>cpu: "500m"</c>) into a string with exactly the user's text; writes it as a string.
/// The API server accepts both forms for these fields (<c>x-kubernetes-int-or-string</c>).
/// </summary>
public sealed class QuantityJsonConverter : JsonConverter<string>
{
    /// <inheritdoc />
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            // The raw token, not a parsed number: 1e3 stays 1e3, 0.50 stays 0.50.
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
            _ => throw new JsonException($"A quantity must be a string or a number, not {reader.TokenType}."),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
