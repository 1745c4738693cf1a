using k8s.Models;

namespace MedOps.Runtime.Informers;

/// <summary>Namespace and name of an object: the identity the caches and work queues use.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    /// <summary>The key of an object.</summary>
    public static ObjectKey Of(IMetadata<V1ObjectMeta> obj) => new(obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name);

    /// <summary>"namespace/name", or just the name for cluster-scoped objects.</summary>
    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
