using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MedOps.CrdGen;

/// <summary>
/// Writes a JSON document as block-style YAML, keeping the key order of the JSON, one line per
/// scalar (no folding, so diffs of the committed CRDs stay readable) and LF line endings.
/// </summary>
internal static class YamlText
{
    // Strings that a YAML 1.1 parser (kubectl's, via go-yaml v2) would read as something else.
    private static readonly HashSet<string> NonStringWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "y", "n", "on", "off", "null", "~", ".inf", "-.inf", "+.inf", ".nan",
    };

    /// <summary>The YAML text of <paramref name="json"/>.</summary>
    public static string From(JsonNode json)
    {
        using var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text, bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Write(emitter, json);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString().ReplaceLineEndings("\n");
    }

    private static void Write(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in map)
                {
                    WriteString(emitter, key);
                    Write(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    Write(emitter, item);
                }
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                WriteString(emitter, value.GetValue<string>());
                break;
            case JsonValue value:
                // Numbers and booleans: their JSON text is also their YAML text.
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value.ToJsonString(), ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            default:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }

    private static void WriteString(IEmitter emitter, string value)
    {
        // The emitter itself quotes strings that are not valid plain scalars (": ", leading "[" …);
        // strings that are valid plain scalars but would be read as numbers or booleans are ours.
        var style = LooksLikeAnotherType(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    private static bool LooksLikeAnotherType(string value) =>
        value.Length == 0
        || NonStringWords.Contains(value)
        || char.IsAsciiDigit(value[0])
        || (value.Length > 1 && value[0] is '+' or '-' or '.' && (char.IsAsciiDigit(value[1]) || value[1] == '.'));
}
