using k8s.Models;
using MedOps.Runtime.Api;

namespace MedOps.Runtime.Tests.Api;

public sealed class WatchLineTests
{
    [Fact]
    public void An_error_event_carries_the_status_so_410_can_be_told_apart()
    {
        var ev = KubeApi.ParseWatchLine<V1ConfigMap>("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}""");
        Assert.Equal(WatchEventKind.Error, ev.Kind);
        Assert.Equal(410, ev.Status!.Code);
    }

    [Fact]
    public void A_bookmark_yields_only_its_resource_version()
    {
        var ev = KubeApi.ParseWatchLine<V1ConfigMap>("""{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"12345"}}}""");
        Assert.Equal((WatchEventKind.Bookmark, "12345"), (ev.Kind, ev.ResourceVersion));
        Assert.Null(ev.Object);
    }

    [Fact]
    public void An_added_event_is_deserialized_with_its_resource_version()
    {
        var ev = KubeApi.ParseWatchLine<V1ConfigMap>("""{"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"n","resourceVersion":"7"},"data":{"k":"v"}}}""");
        Assert.Equal(WatchEventKind.Added, ev.Kind);
        Assert.Equal("v", ev.Object!.Data["k"]);
        Assert.Equal("7", ev.ResourceVersion);
    }

    [Fact]
    public void Resource_paths_distinguish_core_and_named_groups()
    {
        Assert.Equal("api/v1/namespaces/n/pods", ResourceType.For<V1Pod>().CollectionPath("n"));
        Assert.Equal("apis/apps/v1/namespaces/n/deployments/d", ResourceType.For<V1Deployment>().ObjectPath("n", "d"));
        Assert.Equal("api/v1/nodes", ResourceType.For<V1Node>().CollectionPath("ignored"));
    }
}
