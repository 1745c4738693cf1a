using System.Reflection;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.CrdGen;

/// <summary>Builds the CustomResourceDefinition of one kind from its C# type and attributes.</summary>
internal static class CrdBuilder
{
    /// <summary>The CRD of <paramref name="kind"/>, a type carrying <see cref="KubernetesEntityAttribute"/>.</summary>
    public static V1CustomResourceDefinition Build(Type kind)
    {
        var entity = kind.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{kind.Name} has no [KubernetesEntity].");
        if (string.IsNullOrEmpty(entity.Group) || string.IsNullOrEmpty(entity.PluralName))
        {
            throw new InvalidOperationException($"{kind.Name} must name its Group and PluralName in [KubernetesEntity].");
        }
        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta
            {
                Name = $"{entity.PluralName}.{entity.Group}",
                // So that kubectl get crd -l app.kubernetes.io/part-of=medops finds them.
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "medops" },
            },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = entity.Group,
                // Every MedOps kind lives in the namespace of the team that owns it.
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = entity.Kind,
                    ListKind = entity.Kind + "List",
                    Plural = entity.PluralName,
                    Singular = entity.Kind.ToLowerInvariant(),
                    ShortNames = NullIfEmpty(kind.GetCustomAttributes<ShortNameAttribute>().Select(a => a.Name)),
                    Categories = NullIfEmpty(kind.GetCustomAttributes<ResourceCategoryAttribute>().Select(a => a.Name)),
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = entity.ApiVersion,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = SchemaBuilder.ForKind(kind) },
                        Subresources = HasStatus(kind) ? new V1CustomResourceSubresources { Status = new Dictionary<string, object>() } : null,
                        AdditionalPrinterColumns = NullIfEmpty(kind.GetCustomAttributes<PrinterColumnAttribute>().Select(Column)),
                    },
                ],
            },
        };
    }

    private static V1CustomResourceColumnDefinition Column(PrinterColumnAttribute column) => new()
    {
        Name = column.Name,
        JsonPath = column.JsonPath,
        Type = column.Type.ToString().ToLowerInvariant(),
        Description = column.Description,
        Priority = column.Priority == 0 ? null : column.Priority,
    };

    // The operator writes status only through the status subresource, which also keeps users'
    // spec edits from overwriting it.
    private static bool HasStatus(Type kind) =>
        kind.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IStatus<>));

    private static List<T>? NullIfEmpty<T>(IEnumerable<T> items) => items.ToList() is { Count: > 0 } list ? list : null;
}
