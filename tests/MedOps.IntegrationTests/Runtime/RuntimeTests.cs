using k8s;
using k8s.Models;
using MedOps.Runtime.Status;
using MedOps.Testing;
using Microsoft.Extensions.Logging;

namespace MedOps.IntegrationTests.Runtime;

/// <summary>
/// The controller runtime against the real control plane: reconcile and repair, steady state
/// without API calls, watch expiry, outages, a second writer, poisoned and hanging keys.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RuntimeTests(LocalCluster cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_widget_gets_its_child_and_status_and_a_deleted_or_edited_child_is_repaired()
    {
        await using var ns = await cluster.CreateNamespaceAsync("rt-basic");
        await using var runtime = await RuntimeHarness.StartAsync(cluster, ns.Name);
        await CreateAsync(ns.Name, Widget.Create("w1", "hello"));
        await WaitReadyAsync(ns.Name, "w1");
        var child = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("w1-data", ns.Name);
        Assert.Equal("hello", child.Data["message"]);
        Assert.Equal("w1", child.Metadata.OwnerReferences.Single(o => o.Controller == true).Name);

        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync("w1-data", ns.Name);
        await WaitChildAsync(ns.Name, "w1-data", "hello", "the deleted child to be recreated");

        var edit = new V1Patch("""{"data":{"message":"tampered"}}""", V1Patch.PatchType.MergePatch);
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(edit, "w1-data", ns.Name);
        await WaitChildAsync(ns.Name, "w1-data", "hello", "the edited child to be repaired");
    }

    [Fact]
    public async Task Deleted_children_leave_the_appliers_memo_so_churn_does_not_grow_it()
    {
        await using var ns = await cluster.CreateNamespaceAsync("rt-churn");
        await using var runtime = await RuntimeHarness.StartAsync(cluster, ns.Name);
        var before = runtime.Manager.Applier.Remembered;
        for (var i = 0; i < 20; i++)
        {
            await CreateAsync(ns.Name, Widget.Create($"c{i}", "x"));
        }
        await Eventually.WaitUntilAsync(() => runtime.Manager.Applier.Remembered == before + 20, Timeout, "the 20 children to be applied and remembered");

        for (var i = 0; i < 20; i++)
        {
            await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Group, "v1", ns.Name, "widgets", $"c{i}");
        }
        // The garbage collector would delete the children too, but it can lag for minutes on a
        // busy cluster: delete them here, once their owners are gone (so nothing re-creates them).
        await Eventually.WaitUntilAsync(() => runtime.Widgets.Cache.Count == 0, Timeout, "the widgets to leave the cache");
        for (var i = 0; i < 20; i++)
        {
            try
            {
                await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync($"c{i}-data", ns.Name);
            }
            catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Already collected.
            }
        }

        // Their informer's delete events make the applier forget them.
        await Eventually.WaitUntilAsync(() => runtime.Manager.Applier.Remembered == before, Timeout,
            $"the applier to forget the deleted children (remembers {runtime.Manager.Applier.Remembered})");
    }

    [Fact]
    public async Task A_finalizer_is_added_by_patch_and_removed_after_cleanup_on_deletion()
    {
        await using var ns = await cluster.CreateNamespaceAsync("rt-finalizer");
        await using var runtime = await RuntimeHarness.StartAsync(cluster, ns.Name);
        await CreateAsync(ns.Name, Widget.Create("guarded", "x", finalizer: true));
        var ready = await WaitReadyAsync(ns.Name, "guarded");
        Assert.Contains(WidgetReconciler.Finalizer, ready.Metadata.Finalizers);

        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Group, "v1", ns.Name, "widgets", "guarded");
        await Eventually.WaitUntilAsync(
            async () => (await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(Widget.Group, "v1", ns.Name, "widgets")) is System.Text.Json.JsonElement list
                && list.GetProperty("items").GetArrayLength() == 0,
            Timeout, "the widget to be gone once its finalizer ran");
        Assert.True(WidgetReconciler.CleanedUp.ContainsKey($"{ns.Name}/guarded"));
    }

    [Fact]
    public async Task In_steady_state_the_runtime_makes_no_request_but_its_watches()
    {
        await using var ns = await cluster.CreateNamespaceAsync("rt-steady");
        await using var runtime = await RuntimeHarness.StartAsync(cluster, ns.Name);
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync(ns.Name, Widget.Create($"w{i}", "steady"));
        }
        for (var i = 0; i < 5; i++)
        {
            await WaitReadyAsync(ns.Name, $"w{i}");
        }
        // Let the last status write's watch event come back and be reconciled (to a no-op): nothing
        // queued and nothing in flight, twice a second apart (a reconcile started from a cache
        // older than the last status write still writes once; it is not steady state yet).
        var queue = runtime.Controller.Queue;
        await Eventually.WaitUntilAsync(() => Task.FromResult(queue.Count == 0 && queue.InProcess == 0), Timeout, "the queue to drain");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Eventually.WaitUntilAsync(() => Task.FromResult(queue.Count == 0 && queue.InProcess == 0), Timeout, "the queue to stay drained");

        var from = DateTime.UtcNow;
        // No resync in MedOps.Runtime (Informer.cs re-opens its watch every 300-600 s, a watch): a write feeding itself through its own watch event laps in under a second, 30 s holds dozens of laps.
        await Task.Delay(TimeSpan.FromSeconds(30));
        var to = DateTime.UtcNow;
        // The audit log is written in batches of up to a second.
        await AuditLogMarker.WaitForFlushAsync(cluster);

        var requests = AuditLog.Requests(cluster.AuditLogPath, "medops-dev", from, to)
            .Where(r => r.Verb != "watch" && r.Resource != "leases").ToList();
        Assert.True(requests.Count == 0, "requests in steady state: " + string.Join(", ", requests.Select(r => $"{r.Verb} {r.Resource}/{r.Name}")));
    }

    [Fact]
    public async Task A_watch_forced_past_a_compacted_revision_relists_and_reconciles_what_changed_in_the_gap()
    {
        await using var ns = await cluster.CreateNamespaceAsync("rt-expiry");
        await using var runtime = await RuntimeHarness.StartAsync(cluster, ns.Name, proxied: true);
        await CreateAsync(ns.Name, Widget.Create("before", "x"));
        await CreateAsync(ns.Name, Widget.Create("doomed", "x"));
        await WaitReadyAsync(ns.Name, "before");
        await WaitReadyAsync(ns.Name, "doomed");

        runtime.Proxy!.Pause();
        await CreateAsync(ns.Name, Widget.Create("during-gap", "made while the watch was down"));
        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Group, "v1", ns.Name, "widgets", "doomed");
        // Churn so the compaction really moves past the runtime's last resourceVersion.
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "churn" } }, ns.Name);
        await ControlPlane.CompactEtcdAsync();
        runtime.Proxy.Resume();

        await WaitReadyAsync(ns.Name, "during-gap");
        await WaitChildAsync(ns.Name, "during-gap-data", "made while the watch was down", "the gap's widget to get its child");
        await Eventually.WaitUntilAsync(() => Task.FromResult(runtime.Widgets.Cache.Get(ns.Name, "doomed") is null), Timeout,
            "the widget deleted in the gap to leave the cache (synthetic delete on re-list)");
    }

    [Fact]
    public async Task A_poisoned_key_and_a_hanging_one_do_not_hold_up_the_others()
    {
        await using var ns = await cluster.CreateNamespaceAsync("rt-poison");
        await using var runtime = await RuntimeHarness.StartAsync(cluster, ns.Name, reconcileTimeout: TimeSpan.FromSeconds(2));
        await CreateAsync(ns.Name, Widget.Create("poisoned", "x", poison: true));
        await CreateAsync(ns.Name, Widget.Create("hanging", "x", hang: true));
        await CreateAsync(ns.Name, Widget.Create("hanging-too", "x", hang: true));
        for (var i = 0; i < 6; i++)
        {
            await CreateAsync(ns.Name, Widget.Create($"ok{i}", "fine"));
        }
        for (var i = 0; i < 6; i++)
        {
            await WaitReadyAsync(ns.Name, $"ok{i}");
        }
        var poisoned = await GetAsync(ns.Name, "poisoned");
        Assert.Null(poisoned.Status);
    }

    [Fact]
    public async Task A_second_writer_fighting_over_a_child_converges_without_error_spam()
    {
        await using var ns = await cluster.CreateNamespaceAsync("rt-fight");
        await using var runtime = await RuntimeHarness.StartAsync(cluster, ns.Name);
        await CreateAsync(ns.Name, Widget.Create("contested", "mine"));
        await WaitChildAsync(ns.Name, "contested-data", "mine", "the child to exist");

        for (var i = 0; i < 25; i++)
        {
            var edit = new V1Patch($$$"""{"data":{"message":"theirs-{{{i}}}"}}""", V1Patch.PatchType.MergePatch);
            await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(edit, "contested-data", ns.Name);
        }

        await WaitChildAsync(ns.Name, "contested-data", "mine", "the operator's value to win in the end");
        Assert.Equal(0, runtime.Logs.Count(LogLevel.Error));
    }

    [Fact]
    public async Task After_an_apiserver_outage_of_30_seconds_the_runtime_reconnects_and_catches_up()
    {
        await using var ns = await cluster.CreateNamespaceAsync("rt-outage");
        await using var runtime = await RuntimeHarness.StartAsync(cluster, ns.Name);
        await CreateAsync(ns.Name, Widget.Create("before", "x"));
        await WaitReadyAsync(ns.Name, "before");

        await ControlPlane.StopApiServerAsync();
        // The outage the test is named for: 30 s takes the informers' retry backoff (800 ms doubling, Informer.cs) to its 25.6 s step, so the catch-up below follows a fully backed-off retry.
        await Task.Delay(TimeSpan.FromSeconds(30));
        await ControlPlane.StartAsync();

        await CreateAsync(ns.Name, Widget.Create("after", "made after the outage"));
        await WaitReadyAsync(ns.Name, "after", TimeSpan.FromSeconds(60));
        await WaitChildAsync(ns.Name, "after-data", "made after the outage", "the post-outage widget's child");

        // Leave the cluster as the next test expects it: the controller-manager reconnects with
        // its own backoff, and its token controller must be back before new namespaces work.
        await using var probe = await TestNamespace.CreateAsync(cluster.Client, "rt-outage-probe", TimeSpan.FromSeconds(180));
    }

    private Task CreateAsync(string ns, Widget widget) =>
        cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, Widget.Group, "v1", ns, "widgets");

    private async Task<Widget> GetAsync(string ns, string name) =>
        KubernetesJson.Deserialize<Widget>(KubernetesJson.Serialize(await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(Widget.Group, "v1", ns, "widgets", name)));

    private Task<Widget> WaitReadyAsync(string ns, string name, TimeSpan? timeout = null) =>
        Eventually.WaitForAsync(() => GetAsync(ns, name),
            w => Conditions.IsTrue(w.Status?.Conditions, Conditions.Ready) && w.Status?.ObservedGeneration == w.Metadata.Generation,
            timeout ?? Timeout, $"widget {name} to be Ready");

    private Task WaitChildAsync(string ns, string name, string message, string because) =>
        Eventually.WaitForAsync(
            async () => (await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: $"metadata.name={name}")).Items.SingleOrDefault(),
            c => c?.Data is { } data && data.TryGetValue("message", out var m) && m == message,
            Timeout, because);
}
