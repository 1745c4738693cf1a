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

    [Fact]
    public void A_read_is_a_private_copy_so_changing_it_leaves_the_cache_alone()
    {
        var cache = new ObjectCache<V1ConfigMap>();
        var stored = Child("a", "one", "u1");
        stored.Data = new Dictionary<string, string> { ["k"] = "v" };
        cache.Upsert(stored);
        stored.Data["k"] = "changed by the writer";

        var read = cache.Get("a", "one")!;
        read.Data["k"] = "changed by a reader";

        Assert.Equal("v", cache.Get("a", "one")!.Data["k"]);
        Assert.NotSame(cache.Get("a", "one"), cache.Get("a", "one"));
    }

    [Fact]
    public void Resource_versions_and_index_keys_are_answered_without_decoding()
    {
        var cache = new ObjectCache<V1ConfigMap>();
        var child = Child("a", "one", "u1");
        child.Metadata.ResourceVersion = "42";
        cache.Upsert(child);

        Assert.Equal("42", cache.ResourceVersionOf(new ObjectKey("a", "one")));
        Assert.Null(cache.ResourceVersionOf(new ObjectKey("a", "two")));
        Assert.Equal([new ObjectKey("a", "one")], cache.KeysByIndex(ObjectCache<V1ConfigMap>.OwnerIndex, "u1"));
        Assert.Empty(cache.KeysByIndex(ObjectCache<V1ConfigMap>.OwnerIndex, "u2"));
    }

    [Fact]
    public void Upsert_and_remove_hand_back_the_version_they_replaced()
    {
        var cache = new ObjectCache<V1ConfigMap>();
        Assert.Null(cache.Upsert(Child("a", "one", "u1")));

        var replaced = cache.Upsert(Child("a", "one", "u2"));

        Assert.Equal("u1", replaced!.Metadata.OwnerReferences[0].Uid);
        Assert.Equal("u2", cache.Remove(new ObjectKey("a", "one"))!.Metadata.OwnerReferences[0].Uid);
    }
}
