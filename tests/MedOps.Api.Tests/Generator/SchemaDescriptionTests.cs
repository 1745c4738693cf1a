using System.Text.Json.Nodes;
using MedOps.Api.Tests.TestSupport;

namespace MedOps.Api.Tests.Generator;

/// <summary>kubectl explain is only as good as the descriptions: every field of every kind has one.</summary>
public sealed class SchemaDescriptionTests
{
    [Fact]
    public void Every_field_of_every_kind_has_a_description()
    {
        var missing = new List<string>();
        foreach (var crd in CrdSchema.All)
        {
            var plural = crd["spec"]!["names"]!["plural"]!.GetValue<string>();
            var root = CrdSchema.Root(plural);
            if (string.IsNullOrWhiteSpace(root["description"]?.GetValue<string>()))
            {
                missing.Add(plural);
            }
            Walk(plural, root, missing);
        }

        Assert.True(missing.Count == 0, "Fields without a description:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void The_walk_reaches_nested_objects_and_list_items()
    {
        var visited = new List<string>();
        Walk("medicalmodels", CrdSchema.Root("medicalmodels"), [], visited);

        Assert.Contains("medicalmodels.spec.resources.gpu.minMemory", visited);
        Assert.Contains("medicalmodels.spec.runtime.env[].valueFrom", visited);
        Assert.Contains("medicalmodels.status.conditions[].reason", visited);
        Assert.Contains("medicalmodels.status.lineage.datasetClaim", visited);
    }

    private static void Walk(string path, JsonNode schema, List<string> missing, List<string>? visited = null)
    {
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            var fieldPath = $"{path}.{name}";
            visited?.Add(fieldPath);
            // The API server forbids saying anything about metadata but its type; it publishes
            // ObjectMeta's own documentation instead.
            var isRootMetadata = name == "metadata" && !path.Contains('.');
            if (!isRootMetadata && string.IsNullOrWhiteSpace(property!["description"]?.GetValue<string>()))
            {
                missing.Add(fieldPath);
            }
            Walk(fieldPath, property!, missing, visited);
        }
        if (schema["items"] is { } items)
        {
            Walk(path + "[]", items, missing, visited);
        }
    }
}
