using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MedOps.Api.Tests.TestSupport;

/// <summary>
/// Reads YAML into JSON the way kubectl does (go-yaml v2, YAML 1.1): a plain <c>yes</c> or
/// <c>1.0</c> is not a string. Tests use it to prove the generated YAML means what the
/// generator meant, types included.
/// </summary>
internal static partial class YamlJson
{
    private static readonly HashSet<string> True = new(StringComparer.OrdinalIgnoreCase) { "true", "yes", "y", "on" };
    private static readonly HashSet<string> False = new(StringComparer.OrdinalIgnoreCase) { "false", "no", "n", "off" };

    public static JsonNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents.Single().RootNode)!;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Convert)]),
        YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain => Plain(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static JsonNode? Plain(string text)
    {
        if (text is "" or "~" || text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (True.Contains(text) || False.Contains(text))
        {
            return JsonValue.Create(True.Contains(text));
        }
        if (Integer().IsMatch(text))
        {
            return JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture));
        }
        if (Float().IsMatch(text))
        {
            return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
        }
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?([0-9]*\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
