using System.Text.Json;
using MedOps.Runtime.Writes;

namespace MedOps.Runtime.Tests.Writes;

public sealed class JsonSubsetTests
{
    [Theory]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", true)]
    [InlineData("""{"a":1,"b":2}""", """{"a":1}""", false)]
    [InlineData("""{"a":{"x":"1"}}""", """{"a":{"x":"1","y":"server default"}}""", true)]
    [InlineData("""{"l":[{"n":"a"}]}""", """{"l":[{"n":"a","d":1}]}""", true)]
    [InlineData("""{"l":[{"n":"a"}]}""", """{"l":[{"n":"a"},{"n":"b"}]}""", false)]
    [InlineData("""{"l":[{"n":"a"},{"n":"b"}]}""", """{"l":[{"n":"b"},{"n":"a"}]}""", false)]
    [InlineData("""{"cpu":"1000m"}""", """{"cpu":"1"}""", true)]
    [InlineData("""{"memory":"1Gi"}""", """{"memory":"1073741824"}""", true)]
    [InlineData("""{"memory":"1Gi"}""", """{"memory":"2Gi"}""", false)]
    [InlineData("""{"replicas":2}""", """{"replicas":3}""", false)]
    [InlineData("""{"name":"a","gone":null}""", """{"name":"a"}""", true)]
    [InlineData("""{"flag":true}""", """{"flag":false}""", false)]
    public void Compares_desired_fields_against_the_live_object(string desired, string actual, bool expected)
    {
        using var d = JsonDocument.Parse(desired);
        using var a = JsonDocument.Parse(actual);
        Assert.Equal(expected, JsonSubset.IsSubset(d.RootElement, a.RootElement));
    }
}
