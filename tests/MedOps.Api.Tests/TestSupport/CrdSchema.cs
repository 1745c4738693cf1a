using System.Text.Json.Nodes;
using MedOps.CrdGen;

namespace MedOps.Api.Tests.TestSupport;

/// <summary>The generated CRDs as JSON, read back from their YAML text, with schema navigation by field path.</summary>
internal static class CrdSchema
{
    private static readonly Lazy<Dictionary<string, JsonNode>> ByPlural = new(() =>
        CrdGenerator.Generate().Select(f => YamlJson.Parse(f.Content))
            .ToDictionary(crd => crd["spec"]!["names"]!["plural"]!.GetValue<string>()));

    /// <summary>The CRD of a plural resource name, such as medicalmodels.</summary>
    public static JsonNode Crd(string plural) => ByPlural.Value[plural];

    /// <summary>All generated CRDs.</summary>
    public static IEnumerable<JsonNode> All => ByPlural.Value.Values;

    /// <summary>The only version of a CRD.</summary>
    public static JsonNode Version(string plural) => Crd(plural)["spec"]!["versions"]!.AsArray().Single()!;

    /// <summary>The root OpenAPI schema of a CRD.</summary>
    public static JsonNode Root(string plural) => Version(plural)["schema"]!["openAPIV3Schema"]!;

    /// <summary>The schema of a field, by its dotted path from the object root (spec.resources.gpu).</summary>
    public static JsonNode At(string plural, string path)
    {
        var node = Root(plural);
        foreach (var name in path.Split('.'))
        {
            node = node["properties"]?[name] ?? throw new KeyNotFoundException($"{plural}: no field {path} (stopped at {name})");
        }
        return node;
    }

    /// <summary>The required field names of an object schema.</summary>
    public static string[] Required(string plural, string path) =>
        At(plural, path)["required"]?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];

    /// <summary>The enum values of a field.</summary>
    public static string[] Enum(string plural, string path) =>
        At(plural, path)["enum"]?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
}
