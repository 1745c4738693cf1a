using k8s.Models;
using MedOps.Runtime.Api;
using MedOps.Runtime.Informers;
using MedOps.Runtime.Writes;
using MedOps.Testing;

namespace MedOps.Runtime.Tests.Writes;

public sealed class ChildWriterTests : IDisposable
{
    private static readonly ResourceType ConfigMaps = ResourceType.For<V1ConfigMap>();

    private readonly FakeApiServer server = new();
    private readonly k8s.Kubernetes client;
    private readonly ChildApplier applier;
    private readonly ChildWriter writer;

    public ChildWriterTests()
    {
        client = server.Client();
        var api = new KubeApi(client);
        applier = new ChildApplier(api);
        writer = new ChildWriter(applier, api);
    }

    private static V1ConfigMap Owner() => new() { Metadata = new V1ObjectMeta { Name = "owner", NamespaceProperty = "ns", Uid = "owner-uid" } };

    private static V1ConfigMap Child(string name, string value = "1", string? controllerUid = "owner-uid") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "ns",
            Uid = name + "-uid",
            OwnerReferences = controllerUid is null ? null : [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = controllerUid, Controller = true }],
        },
        Data = new Dictionary<string, string> { ["value"] = value },
    };

    [Fact]
    public async Task A_new_child_is_created_and_noted_as_created()
    {
        var changes = new ChildChanges();

        var live = await writer.ApplyAsync(changes, ConfigMaps, Child("a"), null, CancellationToken.None);

        Assert.Equal(HttpMethod.Patch, Assert.Single(server.Requests).Method);
        Assert.NotNull(live.Metadata.ResourceVersion);
        Assert.Equal(ChildChanges.CreatedReason, changes.Reason);
        Assert.Equal("created ConfigMap a", changes.Message);
    }

    [Fact]
    public async Task A_child_the_cache_already_matches_is_not_written_and_nothing_is_noted()
    {
        var first = new ChildChanges();
        var live = await writer.ApplyAsync(first, ConfigMaps, Child("a"), null, CancellationToken.None);

        var again = new ChildChanges();
        await writer.ApplyAsync(again, ConfigMaps, Child("a"), live, CancellationToken.None);

        Assert.Single(server.Requests);
        Assert.False(again.Any);
    }

    [Fact]
    public async Task A_changed_child_is_noted_as_updated_and_a_mixed_reconcile_reports_updated()
    {
        var live = await writer.ApplyAsync(new ChildChanges(), ConfigMaps, Child("a"), null, CancellationToken.None);
        var changes = new ChildChanges();

        await writer.ApplyAsync(changes, ConfigMaps, Child("b"), null, CancellationToken.None);
        await writer.ApplyAsync(changes, ConfigMaps, Child("a", value: "2"), live, CancellationToken.None);

        Assert.Equal(ChildChanges.UpdatedReason, changes.Reason);
        Assert.Equal("created ConfigMap b, updated ConfigMap a", changes.Message);
    }

    [Fact]
    public async Task An_unwanted_child_of_ours_is_deleted_by_uid_noted_and_forgotten()
    {
        var live = await writer.ApplyAsync(new ChildChanges(), ConfigMaps, Child("a"), null, CancellationToken.None);
        Assert.Equal(1, applier.Remembered);
        var changes = new ChildChanges();

        var result = await writer.ApplyOrDeleteAsync<V1ConfigMap>(changes, Owner(), ConfigMaps, null, Child("a"), CancellationToken.None);

        Assert.Null(result);
        Assert.Equal("DELETE /api/v1/namespaces/ns/configmaps/a", server.Requests[^1].Line);
        Assert.Equal("deleted ConfigMap a", changes.Message);
        Assert.Equal(0, applier.Remembered);
        Assert.NotNull(live);
    }

    [Fact]
    public async Task An_unwanted_child_that_is_not_ours_is_left_alone()
    {
        var changes = new ChildChanges();

        await writer.ApplyOrDeleteAsync<V1ConfigMap>(changes, Owner(), ConfigMaps, null, Child("a", controllerUid: "someone-else"), CancellationToken.None);
        await writer.ApplyOrDeleteAsync<V1ConfigMap>(changes, Owner(), ConfigMaps, null, Child("b", controllerUid: null), CancellationToken.None);

        Assert.Empty(server.Requests);
        Assert.False(changes.Any);
    }

    [Fact]
    public async Task The_applier_forgets_a_child_once_it_is_deleted_so_churn_does_not_grow_its_memo()
    {
        for (var i = 0; i < 50; i++)
        {
            await writer.ApplyAsync(new ChildChanges(), ConfigMaps, Child($"c{i}"), null, CancellationToken.None);
        }
        Assert.Equal(50, applier.Remembered);

        for (var i = 0; i < 50; i++)
        {
            applier.Forget(ConfigMaps, new ObjectKey("ns", $"c{i}"));
        }

        Assert.Equal(0, applier.Remembered);
    }

    public void Dispose()
    {
        client.Dispose();
        server.Dispose();
    }
}
