using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using MedOps.Api.Schema;
using MedOps.CrdGen;

namespace MedOps.Api.Tests.Generator;

/// <summary>The generator refuses types it cannot describe faithfully instead of guessing.</summary>
public sealed class SchemaBuilderTests
{
    [Fact]
    public void A_field_without_a_description_is_an_error_naming_the_field()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CrdBuilder.Build(typeof(UndescribedKind)));

        Assert.Contains("UndescribedSpec.Size", error.Message);
        Assert.Contains("[Description]", error.Message);
    }

    [Fact]
    public void A_numeric_bound_on_a_string_is_an_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CrdBuilder.Build(typeof(MisboundKind)));

        Assert.Contains("MisboundSpec.Name", error.Message);
    }

    [KubernetesEntity(Group = "test.medops.io", ApiVersion = "v1", Kind = "Undescribed", PluralName = "undescribeds")]
    [Description("A kind whose spec has a field without a description.")]
    public sealed class UndescribedKind : IKubernetesObject<V1ObjectMeta>
    {
        [JsonPropertyName("apiVersion"), Description("API version.")]
        public string ApiVersion { get; set; } = "";

        [JsonPropertyName("kind"), Description("Kind.")]
        public string Kind { get; set; } = "";

        [JsonPropertyName("metadata")]
        public V1ObjectMeta Metadata { get; set; } = new();

        [JsonPropertyName("spec"), Description("Spec.")]
        public UndescribedSpec Spec { get; set; } = new();
    }

    public sealed class UndescribedSpec
    {
        [JsonPropertyName("size")]
        public int Size { get; set; }
    }

    [KubernetesEntity(Group = "test.medops.io", ApiVersion = "v1", Kind = "Misbound", PluralName = "misbounds")]
    [Description("A kind whose spec bounds a string like a number.")]
    public sealed class MisboundKind : IKubernetesObject<V1ObjectMeta>
    {
        [JsonPropertyName("apiVersion"), Description("API version.")]
        public string ApiVersion { get; set; } = "";

        [JsonPropertyName("kind"), Description("Kind.")]
        public string Kind { get; set; } = "";

        [JsonPropertyName("metadata")]
        public V1ObjectMeta Metadata { get; set; } = new();

        [JsonPropertyName("spec"), Description("Spec.")]
        public MisboundSpec Spec { get; set; } = new();
    }

    public sealed class MisboundSpec
    {
        [JsonPropertyName("name"), Description("A name."), Minimum(1)]
        public string Name { get; set; } = "";
    }
}
