using k8s.Models;
using MedOps.Runtime.Informers;

namespace MedOps.Runtime.Tests.Informers;

public sealed class ObjectCacheTests
{
    private static V1ConfigMap Child(string ns, string name, string? ownerUid) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            OwnerReferences = ownerUid is null ? null : [new V1OwnerReference { ApiVersion = "v1", Kind = "Owner", Name = "owner", Uid = ownerUid, Controller = true }],
        },
    };

    [Fact]
    public void Objects_are_found_by_namespace_and_by_controller_owner()
    {
        var cache = new ObjectCache<V1ConfigMap>();
        cache.Upsert(Child("a", "one", "u1"));
        cache.Upsert(Child("a", "two", "u1"));
        cache.Upsert(Child("b", "three", null));

        Assert.Equal(2, cache.List("a").Count);
        Assert.Equal(["one", "two"], cache.ByIndex(ObjectCache<V1ConfigMap>.OwnerIndex, "u1").Select(c => c.Metadata.Name).Order());
        Assert.Equal(3, cache.List().Count);
    }

    [Fact]
    public void Updating_or_removing_an_object_keeps_the_indexes_right()
    {
        var cache = new ObjectCache<V1ConfigMap>();
        cache.Upsert(Child("a", "one", "u1"));
        cache.Upsert(Child("a", "one", "u2"));
        Assert.Empty(cache.ByIndex(ObjectCache<V1ConfigMap>.OwnerIndex, "u1"));
        Assert.Single(cache.ByIndex(ObjectCache<V1ConfigMap>.OwnerIndex, "u2"));

        Assert.NotNull(cache.Remove(new ObjectKey("a", "one")));
        Assert.Empty(cache.ByIndex(ObjectCache<V1ConfigMap>.OwnerIndex, "u2"));
        Assert.Empty(cache.List("a"));
    }
}
