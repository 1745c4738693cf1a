using System.Text.Json.Nodes;
using k8s;
using MedOps.Api.Tests.TestSupport;
using MedOps.Api.V1Alpha1;
using MedOps.CrdGen;

namespace MedOps.Api.Tests.Generator;

/// <summary>The YAML text means exactly the JSON it was written from, read as kubectl reads YAML.</summary>
public sealed class YamlTextTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("y")]
    [InlineData("Off")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("-1")]
    [InlineData(".5")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData(".inf")]
    [InlineData("1.4.0")]
    [InlineData("key: value")]
    [InlineData("# not a comment")]
    [InlineData("[not, a, list]")]
    [InlineData("'quoted'")]
    [InlineData("^sha256:[a-f0-9]{64}$")]
    [InlineData("it's")]
    public void Strings_stay_strings(string value)
    {
        var json = new JsonObject { ["value"] = value };

        var read = YamlJson.Parse(YamlText.From(json));

        Assert.Equal(value, read["value"]!.GetValue<string>());
    }

    [Fact]
    public void Numbers_booleans_and_empty_collections_keep_their_types()
    {
        var json = JsonNode.Parse("""{"n": 65535, "f": false, "t": true, "o": {}, "a": [], "nested": {"list": [1, "2", {"k": "v"}]}}""")!;

        Assert.True(JsonNode.DeepEquals(json, YamlJson.Parse(YamlText.From(json))));
    }

    [Fact]
    public void Output_uses_lf_line_endings_and_one_line_per_scalar()
    {
        var longText = string.Join(' ', Enumerable.Repeat("word", 100));

        var yaml = YamlText.From(new JsonObject { ["description"] = longText });

        Assert.DoesNotContain('\r', yaml);
        Assert.Equal($"description: {longText}\n", yaml);
    }

    [Theory]
    [InlineData(typeof(V1Alpha1MedicalModel))]
    [InlineData(typeof(V1Alpha1TrainingJob))]
    [InlineData(typeof(V1Alpha1Workspace))]
    public void A_generated_file_reads_back_as_the_crd_it_was_made_from(Type kind)
    {
        var crd = JsonNode.Parse(KubernetesJson.Serialize(CrdBuilder.Build(kind)));
        var file = CrdGenerator.Generate([kind]).Single();

        Assert.StartsWith(CrdGenerator.Header, file.Content);
        Assert.True(JsonNode.DeepEquals(crd, YamlJson.Parse(file.Content)));
    }
}
