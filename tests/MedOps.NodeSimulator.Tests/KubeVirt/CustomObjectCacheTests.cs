using System.Text.Json.Nodes;
using k8s;
using MedOps.NodeSimulator.KubeVirt;

namespace MedOps.NodeSimulator.Tests.KubeVirt;

public class CustomObjectCacheTests
{
    private static JsonObject Object(string uid, string resourceVersion) => new()
    {
        ["metadata"] = new JsonObject { ["namespace"] = "ns", ["name"] = "vm", ["uid"] = uid, ["resourceVersion"] = resourceVersion },
    };

    [Fact]
    public void Changes_are_reported_by_key()
    {
        var changes = new List<(string, bool)>();
        var cache = new CustomObjectCache((key, obj) => changes.Add((key, obj is not null)));

        cache.Apply(WatchEventType.Added, Object("a", "1"));
        cache.Apply(WatchEventType.Deleted, Object("a", "2"));

        Assert.Equal([("ns/vm", true), ("ns/vm", false)], changes);
        Assert.Null(cache.Get("ns/vm"));
    }

    [Fact]
    public void An_older_version_does_not_replace_a_newer_one()
    {
        var cache = new CustomObjectCache((_, _) => { });
        cache.Store(Object("a", "9"));

        cache.Apply(WatchEventType.Modified, Object("a", "5"));

        Assert.Equal("9", cache.Get("ns/vm")!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public void A_late_delete_of_a_predecessor_keeps_the_successor_of_the_same_name()
    {
        var cache = new CustomObjectCache((_, _) => { });
        cache.Store(Object("new", "12"));

        cache.Apply(WatchEventType.Deleted, Object("old", "10"));

        Assert.NotNull(cache.Get("ns/vm"));
    }

    [Fact]
    public void A_list_replaces_everything()
    {
        var removed = new List<string>();
        var cache = new CustomObjectCache((key, obj) =>
        {
            if (obj is null)
            {
                removed.Add(key);
            }
        });
        cache.Store(Object("a", "1"));

        cache.Replace([]);

        Assert.Equal(["ns/vm"], removed);
        Assert.Empty(cache.InNamespace("ns"));
    }
}
