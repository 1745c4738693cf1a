using System.Reflection;
using k8s.Models;

namespace MedOps.Runtime.Api;

/// <summary>
/// Where a kind lives in the API: group, version, plural and scope. Built-in and custom kinds
/// are addressed the same way, so informers and writers are generic over both.
/// </summary>
public sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    /// <summary>"group/version", or just "version" for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path, optionally inside a namespace.</summary>
    public string CollectionPath(string? @namespace)
    {
        var root = Group.Length == 0 ? $"api/{Version}" : $"apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(@namespace)
            ? $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}"
            : $"{root}/{Plural}";
    }

    /// <summary>The path of one object.</summary>
    public string ObjectPath(string? @namespace, string name) =>
        $"{CollectionPath(@namespace)}/{Uri.EscapeDataString(name)}";

    /// <summary>Reads the type's <see cref="KubernetesEntityAttribute"/>; plurals default to lower-case kind + "s".</summary>
    public static ResourceType For<T>(bool? namespaced = null) => For(typeof(T), namespaced);

    /// <inheritdoc cref="For{T}(bool?)"/>
    public static ResourceType For(Type type, bool? namespaced = null)
    {
        var entity = type.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{type.Name} has no [KubernetesEntity] attribute", nameof(type));
        var plural = string.IsNullOrEmpty(entity.PluralName) ? entity.Kind.ToLowerInvariant() + "s" : entity.PluralName;
        return new ResourceType(entity.Group ?? "", entity.ApiVersion, plural, entity.Kind, namespaced ?? !ClusterScoped.Contains(entity.Kind));
    }

    private static readonly HashSet<string> ClusterScoped =
    [
        "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
        "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
    ];
}
