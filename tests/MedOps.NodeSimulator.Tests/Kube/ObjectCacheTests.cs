using k8s;
using k8s.Models;
using MedOps.NodeSimulator.Kube;

namespace MedOps.NodeSimulator.Tests.Kube;

public class ObjectCacheTests
{
    private static V1PersistentVolumeClaim Claim(string uid, string resourceVersion, string name = "data") => new()
    {
        Metadata = new V1ObjectMeta { NamespaceProperty = "ns", Name = name, Uid = uid, ResourceVersion = resourceVersion },
    };

    [Fact]
    public void Changes_are_reported_with_the_object_and_whether_it_is_gone()
    {
        var changes = new List<(string, bool)>();
        var cache = new ObjectCache<V1PersistentVolumeClaim>((c, gone) => changes.Add((c.Metadata.Uid, gone)));

        cache.Apply(WatchEventType.Added, Claim("a", "1"));
        cache.Apply(WatchEventType.Deleted, Claim("a", "2"));

        Assert.Equal([("a", false), ("a", true)], changes);
        Assert.Null(cache.Get("ns/data"));
    }

    [Fact]
    public void Cluster_scoped_objects_are_keyed_by_name()
    {
        var cache = new ObjectCache<V1PersistentVolume>((_, _) => { });

        cache.Store(new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "pvc-1", Uid = "u", ResourceVersion = "1" } });

        Assert.NotNull(cache.Get("pvc-1"));
    }

    [Fact]
    public void An_older_version_does_not_replace_a_newer_one()
    {
        var cache = new ObjectCache<V1PersistentVolumeClaim>((_, _) => { });
        cache.Store(Claim("a", "9"));

        cache.Apply(WatchEventType.Modified, Claim("a", "5"));

        Assert.Equal("9", cache.Get("ns/data")!.Metadata.ResourceVersion);
    }

    [Fact]
    public void A_late_delete_of_a_predecessor_keeps_the_successor_of_the_same_name()
    {
        var cache = new ObjectCache<V1PersistentVolumeClaim>((_, _) => { });
        cache.Store(Claim("new", "12"));

        cache.Apply(WatchEventType.Deleted, Claim("old", "10"));

        Assert.Equal("new", cache.Get("ns/data")!.Metadata.Uid);
    }

    [Fact]
    public void A_list_replaces_everything_reports_what_went_and_marks_the_cache_synced()
    {
        var gone = new List<string>();
        var listed = 0;
        var cache = new ObjectCache<V1PersistentVolumeClaim>(
            (c, isGone) =>
            {
                if (isGone)
                {
                    gone.Add(c.Metadata.Name);
                }
            },
            () => listed++);
        cache.Store(Claim("a", "1", "old"));
        Assert.False(cache.IsSynced);

        cache.Replace([Claim("b", "2", "new")]);

        Assert.Equal(["old"], gone);
        Assert.Null(cache.Get("ns/old"));
        Assert.NotNull(cache.Get("ns/new"));
        Assert.True(cache.IsSynced);
        Assert.Equal(1, listed);
    }
}
