using System.Reflection;
using k8s;
using k8s.Models;

namespace MedOps.Controllers.Shared;

/// <summary>
/// The custom resource that owns a child object: what its labels and controller owner reference
/// are made of.
/// </summary>
/// <param name="ApiVersion">The owner's <c>apiVersion</c>, for example <c>medops.io/v1alpha1</c>.</param>
/// <param name="Kind">The owner's kind, for example <c>MedicalModel</c>.</param>
/// <param name="Name">The owner's name; children are named after it.</param>
/// <param name="Namespace">The owner's namespace; children live in the same one.</param>
/// <param name="Uid">The owner's UID, which the owner reference pins.</param>
public sealed record ChildOwner(string ApiVersion, string Kind, string Name, string Namespace, string Uid)
{
    /// <summary>
    /// The owner of children built for <paramref name="resource"/>. Group, version and kind come
    /// from <typeparamref name="T"/>'s <see cref="KubernetesEntityAttribute"/>, not from the
    /// instance, because objects read from a list or the cache do not always carry them.
    /// </summary>
    /// <exception cref="ArgumentException">The resource has no name, namespace or UID yet.</exception>
    public static ChildOwner Of<T>(T resource)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(resource);
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} has no [KubernetesEntity] attribute.", nameof(resource));
        var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
        var metadata = resource.Metadata
            ?? throw new ArgumentException($"The {entity.Kind} has no metadata.", nameof(resource));
        return new ChildOwner(
            apiVersion,
            entity.Kind,
            Required(metadata.Name, entity.Kind, "name"),
            Required(metadata.NamespaceProperty, entity.Kind, "namespace"),
            Required(metadata.Uid, entity.Kind, "uid"));
    }

    private static string Required(string? value, string kind, string field) =>
        string.IsNullOrEmpty(value)
            ? throw new ArgumentException($"The {kind} has no metadata.{field}: children can only be built for a stored object.", "resource")
            : value;
}
