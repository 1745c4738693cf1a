using System.Text.Json.Nodes;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Tests.Fakes;
using MedOps.Controllers.Workspaces;
using MedOps.Runtime.Controllers;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Controllers.Tests.Workspaces;

/// <summary>
/// The Workspace reconciler's decisions, against an in-memory API server and seeded caches, with
/// KubeVirt either published by <see cref="KubeVirtDiscovery"/> or not (yet). The integration
/// tests prove the same against the real control plane and the simulated KubeVirt.
/// </summary>
public sealed class WorkspaceReconcilerTests : IDisposable
{
    private const string WorkspacePath = "/apis/medops.io/v1alpha1/namespaces/research/workspaces/dr-smith";
    private const string VmPath = "/apis/kubevirt.io/v1/namespaces/research/virtualmachines/dr-smith";
    private const string PolicyPath = "/apis/networking.k8s.io/v1/namespaces/research/networkpolicies/dr-smith";

    private readonly FakeCluster cluster = new();
    private readonly WorkspaceInformers informers;
    private readonly KubeVirtDiscovery discovery;
    private readonly WorkspaceReconciler reconciler;

    public WorkspaceReconcilerTests()
    {
        informers = new WorkspaceInformers(cluster.Manager);
        discovery = new KubeVirtDiscovery(cluster.Manager, informers);
        reconciler = new WorkspaceReconciler(cluster.Manager, informers, discovery, new ControllerSettings(), cluster.Time);
        discovery.ServeController(new Controller<V1Alpha1Workspace>("workspace", informers.Workspaces, reconciler, new ControllerOptions(), NullLogger.Instance));
    }

    private async Task<ReconcileResult> ReconcileAsync(V1Alpha1Workspace workspace)
    {
        FakeCluster.Seed(informers.Workspaces, workspace);
        return await reconciler.ReconcileAsync(workspace, CancellationToken.None);
    }

    private KubeVirtInformers PublishKubeVirt()
    {
        var kubeVirt = informers.CreateKubeVirtInformers();
        informers.Publish(kubeVirt);
        return kubeVirt;
    }

    private List<string> Lines() => [.. cluster.Server.Writes.Select(w => w.Line)];

    private JsonObject Status() => Assert.Single(cluster.Server.Writes, w => w.Path == WorkspacePath + "/status").Body!["status"]!.AsObject();

    private static JsonObject Condition(JsonObject status, string type) => FakeCluster.Condition(status, type);

    [Fact]
    public async Task Before_discovery_has_answered_the_workspace_is_confined_and_looked_at_again_soon_without_a_status()
    {
        var result = await ReconcileAsync(TestWorkspaces.DrSmith());

        Assert.IsType<ReconcileResult.RequeueAfterResult>(result);
        Assert.Equal([$"PATCH {PolicyPath}"], Lines());
        Assert.False(discovery.Answered);
    }

    [Fact]
    public async Task Without_kubevirt_the_workspace_is_stalled_and_waits_for_the_discovery_to_bring_it_back()
    {
        discovery.Request();
        using var stop = new CancellationTokenSource();
        var running = discovery.RunAsync(stop.Token);
        // Discovery answers from the fake server at once (404: KubeVirt is not served).
        for (var i = 0; i < 1000 && !discovery.Answered; i++)
        {
            await Task.Delay(10);
        }
        Assert.True(discovery.Answered);
        await stop.CancelAsync();
        await running;
        cluster.Server.Requests.Clear();

        var result = await ReconcileAsync(TestWorkspaces.DrSmith());

        Assert.Equal(ReconcileResult.Terminal(WorkspaceReasons.KubeVirtNotInstalled), result);
        Assert.DoesNotContain(cluster.Server.Requests, r => r.Method == HttpMethod.Get);
        var stalled = Condition(Status(), ConditionTypes.Stalled);
        Assert.Equal(WorkspaceReasons.KubeVirtNotInstalled, stalled["reason"]!.GetValue<string>());
        Assert.Contains("virtualmachines.kubevirt.io/v1", stalled["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_error_during_discovery_does_not_end_the_discovery_or_the_controllers()
    {
        cluster.Server.Intercept = _ => new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError)
        {
            Content = new StringContent("""{"kind": "Status", "code": 500}"""),
        };
        discovery.Request();
        using var stop = new CancellationTokenSource();
        var running = discovery.RunAsync(stop.Token);

        // It asked, failed, and now waits to ask again, instead of throwing out of RunAsync.
        for (var i = 0; i < 500 && cluster.Server.Requests.Count == 0; i++)
        {
            await Task.Delay(10);
        }
        Assert.NotEmpty(cluster.Server.Requests);
        Assert.False((await Task.WhenAny(running, Task.Delay(300))) == running, "discovery ended after an API error");
        Assert.False(discovery.Answered);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task With_kubevirt_the_policy_and_the_vm_are_applied_and_the_workspace_is_provisioning()
    {
        PublishKubeVirt();

        var result = await ReconcileAsync(TestWorkspaces.DrSmith());

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {PolicyPath}", $"PATCH {VmPath}", $"PATCH {WorkspacePath}/status"], Lines());
        var vm = Assert.Single(cluster.Server.Writes, w => w.Path == VmPath).Body!;
        Assert.Equal("Always", vm["spec"]!["runStrategy"]!.GetValue<string>());
        Assert.Equal("Provisioning", Status()["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_smaller_disk_is_refused_and_the_vm_is_not_touched()
    {
        var kubeVirt = PublishKubeVirt();
        FakeCluster.Seed(kubeVirt.DataVolumes, TestWorkspaces.Disk("Succeeded", size: "30Gi"));

        var result = await ReconcileAsync(TestWorkspaces.DrSmith());

        Assert.Equal(ReconcileResult.Terminal(WorkspaceReasons.DiskShrinkRefused), result);
        Assert.DoesNotContain(Lines(), l => l.EndsWith("/virtualmachines/dr-smith", StringComparison.Ordinal));
        Assert.Equal(WorkspaceReasons.DiskShrinkRefused, Condition(Status(), ConditionTypes.Stalled)["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_workspace_lowered_to_public_data_loses_its_network_policy()
    {
        PublishKubeVirt();
        var workspace = TestWorkspaces.DrSmith(s => s.DataClassification = DataClassification.Public);
        FakeCluster.Seed(informers.NetworkPolicies, new k8s.Models.V1NetworkPolicy
        {
            Metadata = new k8s.Models.V1ObjectMeta
            {
                Name = TestWorkspaces.Name,
                NamespaceProperty = TestWorkspaces.Namespace,
                Uid = "policy-uid",
                OwnerReferences = [new k8s.Models.V1OwnerReference { ApiVersion = GroupVersion.ApiVersion, Kind = V1Alpha1Workspace.KubeKind, Name = TestWorkspaces.Name, Uid = TestWorkspaces.Uid, Controller = true }],
            },
        });

        await ReconcileAsync(workspace);

        Assert.Equal($"DELETE {PolicyPath}", Lines()[0]);
    }

    public void Dispose() => cluster.Dispose();
}
