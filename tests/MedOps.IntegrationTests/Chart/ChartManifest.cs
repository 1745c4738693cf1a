using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace MedOps.IntegrationTests.Chart;

/// <summary>One object of a <c>helm template</c> output: its kind, name and YAML text.</summary>
internal sealed record RenderedObject(string Kind, string Name, string? Namespace, string Yaml)
{
    /// <summary>The object as a client model (unknown fields are ignored).</summary>
    public T As<T>() => KubernetesYaml.Deserialize<T>(Yaml);
}

/// <summary>The objects of a <c>helm template</c> output, parsed with the Kubernetes client's YAML reader.</summary>
internal static partial class ChartManifest
{
    public static IReadOnlyList<RenderedObject> Parse(string rendered) =>
        [.. rendered.Split("\n---\n")
            .Where(d => KindLine().IsMatch(d))
            // Every document ends with a line break, as in a file of its own (the last line of a block scalar too).
            .Select(d => d.EndsWith('\n') ? d : d + "\n")
            .Select(d =>
            {
                var head = KubernetesYaml.Deserialize<ObjectHead>(d);
                return new RenderedObject(head.Kind, head.Metadata.Name, head.Metadata.NamespaceProperty, d);
            })];

    /// <summary>The objects of one kind.</summary>
    public static IEnumerable<RenderedObject> OfKind(this IEnumerable<RenderedObject> objects, string kind) =>
        objects.Where(o => o.Kind == kind);

    /// <summary>The one object of this kind and name, as a client model; fails the test when there is none or several.</summary>
    public static T Single<T>(this IEnumerable<RenderedObject> objects, string kind, string name) =>
        Assert.Single(objects, o => o.Kind == kind && o.Name == name).As<T>();

    /// <summary>Whether an object of this kind and name was rendered.</summary>
    public static bool Has(this IEnumerable<RenderedObject> objects, string kind, string name) =>
        objects.Any(o => o.Kind == kind && o.Name == name);

    /// <summary>What every object has: its kind and metadata.</summary>
    private sealed class ObjectHead
    {
        public string Kind { get; set; } = "";

        public V1ObjectMeta Metadata { get; set; } = new();
    }

    [GeneratedRegex(@"^kind: \S+$", RegexOptions.Multiline)]
    private static partial Regex KindLine();
}
