using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Tests.Fakes;
using MedOps.Controllers.Workspaces;
using MedOps.Controllers.Workspaces.KubeVirt;
using MedOps.Controllers.Workspaces.Lifecycle;
using MedOps.Runtime.Api;
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
    private const string ClaimPath = "/api/v1/namespaces/research/persistentvolumeclaims/dr-smith-rootdisk";
    private const string EventsPath = "/api/v1/namespaces/research/events";
    private const string Hold = "case-2026-117";

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

    private JsonObject Body(string path) => Assert.Single(cluster.Server.Writes, w => w.Path == path).Body!;

    private static List<string> Finalizers(JsonObject patch) =>
        [.. patch["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>())];

    private static HttpResponseMessage Refusal(HttpStatusCode code, string message) => new(code)
    {
        Content = new StringContent(
            new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = message, ["code"] = (int)code }.ToJsonString(),
            Encoding.UTF8, "application/json"),
    };

    /// <summary>
    /// Runs the event recorder (the manager is not started in these tests) until at least
    /// <paramref name="atLeast"/> requests more reached the server, and returns the events written.
    /// </summary>
    private async Task<List<(string Type, string Reason, string Message)>> EventsAsync(int atLeast = 1)
    {
        var before = cluster.Server.Requests.Count;
        using var stop = new CancellationTokenSource();
        var running = cluster.Manager.Events.RunAsync(stop.Token);
        for (var i = 0; i < 500 && cluster.Server.Requests.Count < before + atLeast; i++)
        {
            await Task.Delay(10);
        }
        await Task.Delay(100);
        await stop.CancelAsync();
        await running;
        return [.. cluster.Server.Requests.Skip(before).Where(r => r.Path == EventsPath)
            .Select(r => (r.Body!["type"]!.GetValue<string>(), r.Body!["reason"]!.GetValue<string>(), r.Body!["message"]!.GetValue<string>()))];
    }

    /// <summary>KubeVirt published, the imported DataVolume and the bound root claim of <paramref name="request"/> in the caches.</summary>
    private KubeVirtInformers WithDisk(string request, string? phase = "Bound", string? capacity = null, string? storageClass = "encrypted-ssd")
    {
        var kubeVirt = PublishKubeVirt();
        FakeCluster.Seed(kubeVirt.DataVolumes, TestWorkspaces.Disk("Succeeded", size: "20Gi"));
        FakeCluster.Seed(informers.Claims, TestWorkspaces.RootClaim(request, phase, capacity, storageClass));
        return kubeVirt;
    }

    private static V1Alpha1Workspace Retained(Action<V1Alpha1WorkspaceSpec>? change = null) => TestWorkspaces.DrSmith(s =>
    {
        s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain;
        change?.Invoke(s);
    });

    private static V1Alpha1Workspace Held() => TestWorkspaces.DrSmith(s => s.LegalHold = Hold);

    // Disk growth

    [Fact]
    public async Task A_larger_disk_size_on_a_bound_claim_merge_patches_the_claim_s_storage_request()
    {
        WithDisk("20Gi");
        string? contentType = null;
        cluster.Server.Intercept = request =>
        {
            if (request.RequestUri!.AbsolutePath == ClaimPath)
            {
                contentType = request.Content?.Headers.ContentType?.MediaType;
            }
            return null;
        };

        var result = await ReconcileAsync(TestWorkspaces.DrSmith(s => s.Disk.Size = "40Gi"));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {PolicyPath}", $"PATCH {VmPath}", $"PATCH {ClaimPath}", $"PATCH {WorkspacePath}/status"], Lines());
        Assert.Equal("application/merge-patch+json", contentType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"spec": {"resources": {"requests": {"storage": "40Gi"}}}}"""), Body(ClaimPath)),
            Body(ClaimPath).ToJsonString());
        var status = Status();
        Assert.Equal("20Gi", status["diskCapacity"]!.GetValue<string>());
        Assert.Null(status["conditions"]!.AsArray().FirstOrDefault(c => c!["type"]!.GetValue<string>() == ConditionTypes.Stalled));
        Assert.Contains(("Normal", WorkspaceReasons.DiskResizing, "growing the disk dr-smith-rootdisk from 20Gi to 40Gi"), await EventsAsync(2));
    }

    [Fact]
    public async Task A_claim_that_is_not_bound_yet_is_not_grown()
    {
        WithDisk("20Gi", phase: "Pending");

        var result = await ReconcileAsync(TestWorkspaces.DrSmith(s => s.Disk.Size = "40Gi"));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.DoesNotContain($"PATCH {ClaimPath}", Lines());
        Assert.Null(Status()["diskCapacity"]);
    }

    [Theory]
    [InlineData("20Gi")]
    [InlineData("21474836480")]
    public async Task A_disk_size_equal_to_the_claim_s_request_does_not_touch_the_claim(string size)
    {
        WithDisk("20Gi");

        var result = await ReconcileAsync(TestWorkspaces.DrSmith(s => s.Disk.Size = size));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {PolicyPath}", $"PATCH {VmPath}", $"PATCH {WorkspacePath}/status"], Lines());
        Assert.Equal("20Gi", Status()["diskCapacity"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_claim_asked_for_more_than_it_has_is_not_asked_again()
    {
        WithDisk("40Gi", capacity: "20Gi");

        var result = await ReconcileAsync(TestWorkspaces.DrSmith(s => s.Disk.Size = "40Gi"));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.DoesNotContain($"PATCH {ClaimPath}", Lines());
        Assert.Equal("20Gi", Status()["diskCapacity"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_running_workspace_whose_claim_grows_is_reconciling_until_the_storage_catches_up()
    {
        var kubeVirt = WithDisk("20Gi");
        var workspace = TestWorkspaces.DrSmith(s => s.Disk.Size = "40Gi");
        await ReconcileAsync(workspace);
        // The VM as applied, now running, and the claim asked for 40Gi while the storage still has 20Gi.
        var vm = KubeJson.Deserialize<KubeVirtVirtualMachine>(Encoding.UTF8.GetBytes(Body(VmPath).ToJsonString()));
        vm.Status = TestWorkspaces.Vm("Running", ready: true, created: true).Status;
        FakeCluster.Seed(kubeVirt.VirtualMachines, vm);
        FakeCluster.Seed(informers.Claims, TestWorkspaces.RootClaim("40Gi", capacity: "20Gi"));
        cluster.Server.Requests.Clear();

        var result = await ReconcileAsync(workspace);

        Assert.Equal(ReconcileResult.Done, result);
        // The VM is up to date and the claim was asked already (the policy's cache is not seeded: it is applied again).
        Assert.Equal([$"PATCH {PolicyPath}", $"PATCH {WorkspacePath}/status"], Lines());
        var status = Status();
        Assert.Equal("Running", status["phase"]!.GetValue<string>());
        Assert.Equal("20Gi", status["diskCapacity"]!.GetValue<string>());
        Assert.Equal("False", Condition(status, ConditionTypes.Ready)["status"]!.GetValue<string>());
        var reconciling = Condition(status, ConditionTypes.Reconciling);
        Assert.Equal(WorkspaceReasons.DiskResizing, reconciling["reason"]!.GetValue<string>());
        Assert.Equal("growing the disk from 20Gi to 40Gi", reconciling["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    [InlineData(HttpStatusCode.BadRequest)]
    public async Task A_refused_expansion_is_stalled_naming_the_storage_class(HttpStatusCode code)
    {
        WithDisk("20Gi", storageClass: "standard");
        cluster.Server.Intercept = request => request.RequestUri!.AbsolutePath == ClaimPath
            ? Refusal(code, "persistentvolumeclaims \"dr-smith-rootdisk\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize")
            : null;

        var result = await ReconcileAsync(TestWorkspaces.DrSmith(s => s.Disk.Size = "40Gi"));

        Assert.Equal(ReconcileResult.Terminal(WorkspaceReasons.DiskExpansionNotAllowed), result);
        Assert.Equal([$"PATCH {PolicyPath}", $"PATCH {VmPath}", $"PATCH {ClaimPath}", $"PATCH {WorkspacePath}/status"], Lines());
        var status = Status();
        var stalled = Condition(status, ConditionTypes.Stalled);
        Assert.Equal("True", stalled["status"]!.GetValue<string>());
        Assert.Equal(WorkspaceReasons.DiskExpansionNotAllowed, stalled["reason"]!.GetValue<string>());
        var message = stalled["message"]!.GetValue<string>();
        Assert.Contains("the disk's claim dr-smith-rootdisk on StorageClass \"standard\" cannot grow from 20Gi to 40Gi", message, StringComparison.Ordinal);
        Assert.Contains("must support resize", message, StringComparison.Ordinal);
        Assert.Contains("set disk.size back to 20Gi", message, StringComparison.Ordinal);
        Assert.Equal("20Gi", status["diskCapacity"]!.GetValue<string>());
        var events = await EventsAsync(2);
        Assert.Contains(events, e => e is ("Warning", WorkspaceReasons.DiskExpansionNotAllowed, _));
        Assert.DoesNotContain(events, e => e.Reason == WorkspaceReasons.DiskResizing);
    }

    [Fact]
    public async Task A_refused_expansion_of_a_claim_without_a_class_says_so()
    {
        WithDisk("20Gi", storageClass: null);
        cluster.Server.Intercept = request => request.RequestUri!.AbsolutePath == ClaimPath ? Refusal(HttpStatusCode.Forbidden, "no") : null;

        await ReconcileAsync(TestWorkspaces.DrSmith(s => s.Disk.Size = "40Gi"));

        Assert.Contains("on no StorageClass cannot grow", Condition(Status(), ConditionTypes.Stalled)["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_expansion_that_is_no_refusal_is_retried_and_writes_no_status()
    {
        WithDisk("20Gi");
        cluster.Server.Intercept = request => request.RequestUri!.AbsolutePath == ClaimPath ? Refusal(HttpStatusCode.InternalServerError, "etcd timeout") : null;

        var thrown = await Assert.ThrowsAsync<KubeApiException>(() => ReconcileAsync(TestWorkspaces.DrSmith(s => s.Disk.Size = "40Gi")));

        Assert.Equal(HttpStatusCode.InternalServerError, thrown.StatusCode);
        Assert.DoesNotContain($"PATCH {WorkspacePath}/status", Lines());
    }

    [Fact]
    public async Task A_disk_size_below_a_claim_grown_beyond_the_data_volume_is_refused()
    {
        // The DataVolume says 20Gi, but the claim was grown to 40Gi: 30Gi would be a shrink.
        WithDisk("40Gi");

        var result = await ReconcileAsync(TestWorkspaces.DrSmith(s => s.Disk.Size = "30Gi"));

        Assert.Equal(ReconcileResult.Terminal(WorkspaceReasons.DiskShrinkRefused), result);
        Assert.Equal([$"PATCH {PolicyPath}", $"PATCH {WorkspacePath}/status"], Lines());
        Assert.Contains("(40Gi)", Condition(Status(), ConditionTypes.Stalled)["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disk_kept_from_a_deleted_namesake_is_not_grown_for_a_new_workspace()
    {
        // dr-smith was deleted with reclaimPolicy Retain: its claim was let go (no owners) and
        // labelled; a new workspace of the same name (an Argo CD re-sync, say) asks for 40Gi.
        // The kept disk is preserved as it is: MedOps must not expand a claim it released.
        PublishKubeVirt();
        var kept = TestWorkspaces.RootClaim("20Gi");
        kept.Metadata.OwnerReferences = [];
        kept.Metadata.Labels[WorkspaceRetention.RetainedFromLabel] = TestWorkspaces.Name;
        FakeCluster.Seed(informers.Claims, kept);
        var workspace = TestWorkspaces.DrSmith(s => s.Disk.Size = "40Gi");
        workspace.Metadata.Uid = "5b7e2f4a-new-workspace";

        await ReconcileAsync(workspace);

        Assert.DoesNotContain($"PATCH {ClaimPath}", Lines());
    }

    // Retention and legal hold: the finalizer

    [Fact]
    public async Task A_retain_workspace_gets_the_finalizer_first_and_nothing_else()
    {
        PublishKubeVirt();
        var workspace = Retained();
        workspace.Metadata.ResourceVersion = "5";

        var result = await ReconcileAsync(workspace);

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {WorkspacePath}"], Lines());
        var patch = Body(WorkspacePath);
        Assert.Equal([WorkspaceRetention.Finalizer], Finalizers(patch));
        Assert.Equal("5", patch["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_held_workspace_gets_the_finalizer()
    {
        PublishKubeVirt();

        var result = await ReconcileAsync(Held());

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {WorkspacePath}"], Lines());
        Assert.Equal([WorkspaceRetention.Finalizer], Finalizers(Body(WorkspacePath)));
    }

    [Fact]
    public async Task The_finalizer_is_added_after_those_of_others()
    {
        PublishKubeVirt();
        var workspace = Held();
        workspace.Metadata.Finalizers = ["example.com/backup"];

        await ReconcileAsync(workspace);

        Assert.Equal(["example.com/backup", WorkspaceRetention.Finalizer], Finalizers(Body(WorkspacePath)));
    }

    [Fact]
    public async Task A_plain_workspace_gets_no_finalizer()
    {
        PublishKubeVirt();

        await ReconcileAsync(TestWorkspaces.DrSmith());

        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
        Assert.Equal([$"PATCH {PolicyPath}", $"PATCH {VmPath}", $"PATCH {WorkspacePath}/status"], Lines());
    }

    [Fact]
    public async Task A_protected_workspace_is_reconciled_as_usual()
    {
        PublishKubeVirt();

        var result = await ReconcileAsync(TestWorkspaces.Protected(Retained()));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {PolicyPath}", $"PATCH {VmPath}", $"PATCH {WorkspacePath}/status"], Lines());
    }

    [Fact]
    public async Task A_lifted_hold_loses_the_finalizer_and_keeps_those_of_others()
    {
        PublishKubeVirt();

        var result = await ReconcileAsync(TestWorkspaces.Protected(TestWorkspaces.DrSmith(), "example.com/backup"));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {WorkspacePath}"], Lines());
        Assert.Equal(["example.com/backup"], Finalizers(Body(WorkspacePath)));
    }

    // Retention and legal hold: the deletion

    [Fact]
    public async Task A_deleted_held_workspace_is_stalled_by_the_hold_and_keeps_its_finalizer()
    {
        var kubeVirt = WithDisk("20Gi");
        FakeCluster.Seed(kubeVirt.VirtualMachines, TestWorkspaces.Vm("Running", ready: true, created: true));
        var workspace = TestWorkspaces.Deleted(TestWorkspaces.Protected(Held()));

        var result = await ReconcileAsync(workspace);

        Assert.Equal(ReconcileResult.Terminal(WorkspaceReasons.LegalHold), result);
        Assert.Equal([$"PATCH {WorkspacePath}/status"], Lines());
        var status = Status();
        var stalled = Condition(status, ConditionTypes.Stalled);
        Assert.Equal(("True", WorkspaceReasons.LegalHold), (stalled["status"]!.GetValue<string>(), stalled["reason"]!.GetValue<string>()));
        Assert.Contains($"legal hold \"{Hold}\"", stalled["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("until spec.legalHold is removed", stalled["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("False", WorkspaceReasons.LegalHold), (Condition(status, ConditionTypes.Ready)["status"]!.GetValue<string>(), Condition(status, ConditionTypes.Ready)["reason"]!.GetValue<string>()));
        Assert.Equal("Running", status["phase"]!.GetValue<string>());
        Assert.Equal("20Gi", status["diskCapacity"]!.GetValue<string>());
        var warning = Assert.Single(await EventsAsync(), e => e.Type == "Warning");
        Assert.Equal(WorkspaceReasons.LegalHold, warning.Reason);
        Assert.Contains(Hold, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_held_workspace_looked_at_again_writes_nothing_and_warns_once()
    {
        PublishKubeVirt();
        var workspace = TestWorkspaces.Deleted(TestWorkspaces.Protected(Held()));
        await ReconcileAsync(workspace);
        var first = await EventsAsync();
        workspace.Status = KubeJson.Deserialize<V1Alpha1WorkspaceStatus>(Encoding.UTF8.GetBytes(Status().ToJsonString()));
        cluster.Server.Requests.Clear();

        var result = await ReconcileAsync(workspace);

        Assert.Equal(ReconcileResult.Terminal(WorkspaceReasons.LegalHold), result);
        Assert.Empty(Lines());
        Assert.Single(first, e => e.Type == "Warning");
        Assert.DoesNotContain(await EventsAsync(0), e => e.Type == "Warning");
    }

    [Fact]
    public async Task A_deleted_retain_workspace_detaches_and_labels_its_claim_then_lets_go()
    {
        WithDisk("20Gi");
        var workspace = TestWorkspaces.Deleted(TestWorkspaces.Protected(Retained(), "example.com/backup"));

        var result = await ReconcileAsync(workspace);

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {ClaimPath}", $"PATCH {WorkspacePath}"], Lines());
        var claim = Body(ClaimPath)["metadata"]!;
        Assert.Equal("42", claim["resourceVersion"]!.GetValue<string>());
        Assert.Empty(claim["ownerReferences"]!.AsArray());
        Assert.Equal(TestWorkspaces.Name, claim["labels"]![WorkspaceRetention.RetainedFromLabel]!.GetValue<string>());
        Assert.Equal("PHI", claim["labels"]![WorkspaceRetention.ClassificationLabel]!.GetValue<string>());
        Assert.Equal("dr.smith@hospital.example", claim["annotations"]![WorkspaceRetention.OwnerAnnotation]!.GetValue<string>());
        Assert.Equal("2026-12-01T12:00:00Z", claim["annotations"]![WorkspaceRetention.RetainedAtAnnotation]!.GetValue<string>());
        var release = Body(WorkspacePath);
        Assert.Equal(["example.com/backup"], Finalizers(release));
        Assert.Equal("7", release["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Contains(await EventsAsync(), e => e is ("Normal", WorkspaceReasons.DiskRetained, _));
    }

    [Fact]
    public async Task A_refused_claim_patch_keeps_the_finalizer()
    {
        WithDisk("20Gi");
        cluster.Server.Intercept = request => request.RequestUri!.AbsolutePath == ClaimPath ? Refusal(HttpStatusCode.Forbidden, "no patch on claims") : null;

        await Assert.ThrowsAsync<KubeApiException>(() => ReconcileAsync(TestWorkspaces.Deleted(TestWorkspaces.Protected(Retained()))));

        Assert.Equal([$"PATCH {ClaimPath}"], Lines());
    }

    [Fact]
    public async Task A_deleted_retain_workspace_whose_claim_is_kept_already_only_lets_go()
    {
        PublishKubeVirt();
        var kept = TestWorkspaces.RootClaim("20Gi");
        kept.Metadata.OwnerReferences = [];
        kept.Metadata.Labels[WorkspaceRetention.RetainedFromLabel] = TestWorkspaces.Name;
        FakeCluster.Seed(informers.Claims, kept);

        var result = await ReconcileAsync(TestWorkspaces.Deleted(TestWorkspaces.Protected(Retained())));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {WorkspacePath}"], Lines());
        Assert.Empty(Finalizers(Body(WorkspacePath)));
    }

    [Fact]
    public async Task A_deleted_retain_workspace_without_a_claim_lets_go()
    {
        var result = await ReconcileAsync(TestWorkspaces.Deleted(TestWorkspaces.Protected(Retained())));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {WorkspacePath}"], Lines());
        Assert.Empty(Finalizers(Body(WorkspacePath)));
    }

    [Fact]
    public async Task A_deleted_delete_policy_workspace_whose_hold_was_lifted_loses_the_finalizer()
    {
        WithDisk("20Gi");

        var result = await ReconcileAsync(TestWorkspaces.Deleted(TestWorkspaces.Protected(TestWorkspaces.DrSmith())));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal([$"PATCH {WorkspacePath}"], Lines());
        Assert.Empty(Finalizers(Body(WorkspacePath)));
    }

    [Fact]
    public async Task A_deleted_workspace_without_the_finalizer_is_left_to_the_garbage_collector()
    {
        WithDisk("20Gi");

        var result = await ReconcileAsync(TestWorkspaces.Deleted(Retained()));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Empty(Lines());
    }

    // Lifecycle: scheduled shutdown

    /// <summary>The fake clock's time: Tuesday 1 December 2026, 13:00 in Berlin.</summary>
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private const string Conflict = "Operation cannot be fulfilled on workspaces.medops.io \"dr-smith\": the object has been modified; please apply your changes to the latest version and try again";

    /// <summary>
    /// KubeVirt published, the imported DataVolume, and dr-smith's VM as the reconciler applies it
    /// for <paramref name="running"/>, reported as <paramref name="printable"/> by virt-controller.
    /// </summary>
    private async Task WithVmAsync(bool running, string printable)
    {
        var kubeVirt = PublishKubeVirt();
        FakeCluster.Seed(kubeVirt.DataVolumes, TestWorkspaces.Disk("Succeeded"));
        await ReconcileAsync(TestWorkspaces.DrSmith(s => s.Running = running));
        var vm = KubeJson.Deserialize<KubeVirtVirtualMachine>(Encoding.UTF8.GetBytes(Body(VmPath).ToJsonString()));
        vm.Status = TestWorkspaces.Vm(printable, ready: printable == "Running", created: printable == "Running").Status;
        FakeCluster.Seed(kubeVirt.VirtualMachines, vm);
        cluster.Server.Requests.Clear();
    }

    /// <summary>Dr Smith's workspace at resourceVersion 15 with <paramref name="lifecycle"/>, running (or not) with this status.</summary>
    private static V1Alpha1Workspace Scheduled(WorkspaceLifecycle? lifecycle, bool running = true, DateTime? sessionStart = null, WorkspaceScheduledStop? planned = null)
    {
        var workspace = TestWorkspaces.DrSmith(s =>
        {
            s.Running = running;
            s.Lifecycle = lifecycle;
        });
        workspace.Metadata.ResourceVersion = "15";
        workspace.Status = new V1Alpha1WorkspaceStatus
        {
            ObservedGeneration = 2,
            Phase = running ? WorkspacePhase.Running : WorkspacePhase.Stopped,
            VmName = TestWorkspaces.Name,
            SessionStartTime = sessionStart,
            ScheduledStop = planned,
        };
        return workspace;
    }

    private static WorkspaceLifecycle MaxSession(string duration = "8h") => new() { MaxSessionDuration = duration };

    /// <summary>Office hours in Berlin: 06:00-18:00 UTC in December.</summary>
    private static WorkspaceLifecycle OfficeHours(string start = "07:00", bool startAutomatically = true) => new()
    {
        ActiveHours = new WorkspaceActiveHours { Start = start, End = "19:00", TimeZone = "Europe/Berlin", StartAutomatically = startAutomatically },
    };

    // An announced stop, or with done: true one the lifecycle made.
    private static WorkspaceScheduledStop Planned(string reason, DateTime time, bool done = false) => new() { Reason = reason, Time = time, Done = done };

    private V1Alpha1WorkspaceStatus WrittenStatus() => KubeJson.Deserialize<V1Alpha1WorkspaceStatus>(Encoding.UTF8.GetBytes(Status().ToJsonString()));

    /// <summary>
    /// The API server's optimistic concurrency on the workspace, from <paramref name="current"/>:
    /// every write of it, its status included, makes a new resourceVersion, and a patch that
    /// carries an older one is refused with 409 Conflict.
    /// </summary>
    private void WorkspaceVersions(int current)
    {
        var version = current;
        cluster.Server.Intercept = request =>
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path != WorkspacePath && path != WorkspacePath + "/status")
            {
                return null;
            }
            var sent = cluster.Server.Requests[^1].Body?["metadata"]?["resourceVersion"]?.GetValue<string>();
            if (sent is not null && sent != version.ToString(CultureInfo.InvariantCulture))
            {
                return Refusal(HttpStatusCode.Conflict, Conflict);
            }
            version++;
            return null;
        };
    }

    [Fact]
    public async Task A_session_past_its_limit_is_stopped_by_a_merge_patch_of_running_false()
    {
        await WithVmAsync(running: true, "Running");
        string? contentType = null;
        cluster.Server.Intercept = request =>
        {
            if (request.RequestUri!.AbsolutePath == WorkspacePath)
            {
                contentType = request.Content?.Headers.ContentType?.MediaType;
            }
            return null;
        };
        var started = Now.AddHours(-8).AddMinutes(-1);

        var result = await ReconcileAsync(Scheduled(MaxSession(), sessionStart: started, planned: Planned(WorkspaceSchedule.MaxSessionReached, Now.AddMinutes(-1))));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal(new[] { $"PATCH {PolicyPath}", $"PATCH {WorkspacePath}", $"PATCH {WorkspacePath}/status" }.Order(), Lines().Order());
        Assert.Equal("application/merge-patch+json", contentType);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"spec": {"running": false}}"""), Body(WorkspacePath)),
            Body(WorkspacePath).ToJsonString());
        var status = WrittenStatus();
        Assert.Equal((WorkspaceReasons.MaxSessionReached, Now), (status.ScheduledStop!.Reason, status.ScheduledStop.Time));
        Assert.Equal(started, status.SessionStartTime);
        var events = await EventsAsync();
        Assert.Contains(("Normal", WorkspaceReasons.MaxSessionReached,
            "stopped the virtual machine: the session reached its maximum of 8h (spec.lifecycle.maxSessionDuration); set running: true to start it again"), events);
        Assert.DoesNotContain(events, e => e.Type == "Warning");
    }

    [Fact]
    public async Task Within_the_warning_one_shutdown_scheduled_warning_is_recorded_and_the_reconcile_comes_back_at_the_stop()
    {
        await WithVmAsync(running: true, "Running");

        var result = await ReconcileAsync(Scheduled(MaxSession(), sessionStart: Now.AddHours(-8).AddMinutes(5)));

        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), result);
        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
        var status = WrittenStatus();
        Assert.Equal((WorkspaceReasons.MaxSessionReached, Now.AddMinutes(5)), (status.ScheduledStop!.Reason, status.ScheduledStop.Time));
        var warning = Assert.Single(await EventsAsync(), e => e.Type == "Warning");
        Assert.Equal(WorkspaceReasons.ShutdownScheduled, warning.Reason);
        Assert.Equal(
            "the virtual machine stops at 2026-12-01T12:05:00Z: the session reached its maximum of 8h (spec.lifecycle.maxSessionDuration); save your work",
            warning.Message);
    }

    [Fact]
    public async Task An_announced_stop_is_not_announced_again_and_nothing_is_written()
    {
        await WithVmAsync(running: true, "Running");
        var workspace = Scheduled(MaxSession(), sessionStart: Now.AddHours(-8).AddMinutes(5));
        await ReconcileAsync(workspace);
        var first = await EventsAsync();
        workspace.Status = WrittenStatus();
        cluster.Server.Requests.Clear();
        cluster.Time.Advance(TimeSpan.FromMinutes(1));

        var result = await ReconcileAsync(workspace);

        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(4)), result);
        Assert.Single(first, e => e.Reason == WorkspaceReasons.ShutdownScheduled);
        Assert.DoesNotContain($"PATCH {WorkspacePath}/status", Lines());
        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
        Assert.DoesNotContain(await EventsAsync(0), e => e.Type == "Warning");
    }

    [Fact]
    public async Task Before_the_warning_the_reconcile_comes_back_when_the_warning_is_due()
    {
        await WithVmAsync(running: true, "Running");

        var result = await ReconcileAsync(Scheduled(MaxSession(), sessionStart: Now.AddHours(-1)));

        Assert.Equal(ReconcileResult.RequeueAfter(new TimeSpan(6, 50, 0)), result);
        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
        Assert.Null(Status()["scheduledStop"]);
        Assert.DoesNotContain(await EventsAsync(0), e => e.Type == "Warning");
    }

    [Fact]
    public async Task A_running_workspace_reaching_ready_starts_its_session_on_the_clock()
    {
        await WithVmAsync(running: true, "Running");
        var workspace = Scheduled(MaxSession());
        workspace.Status!.Phase = WorkspacePhase.Starting;

        var result = await ReconcileAsync(workspace);

        Assert.Equal(ReconcileResult.RequeueAfter(new TimeSpan(7, 50, 0)), result);
        Assert.Equal(Now, WrittenStatus().SessionStartTime);
    }

    [Fact]
    public async Task Inside_the_active_hours_the_reconcile_comes_back_a_warning_before_they_end()
    {
        await WithVmAsync(running: true, "Running");

        var result = await ReconcileAsync(Scheduled(OfficeHours(), sessionStart: Now.AddHours(-1)));

        // 19:00 in Berlin is 18:00 UTC; the warning 10 minutes before.
        Assert.Equal(ReconcileResult.RequeueAfter(new TimeSpan(5, 50, 0)), result);
        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
    }

    [Fact]
    public async Task The_operator_s_default_lifecycle_applies_to_a_workspace_without_one()
    {
        await WithVmAsync(running: true, "Running");
        var defaults = new WorkspaceReconciler(cluster.Manager, informers, discovery,
            new ControllerSettings { DefaultWorkspaceLifecycle = MaxSession() }, cluster.Time);
        var workspace = Scheduled(null, sessionStart: Now.AddHours(-9));
        FakeCluster.Seed(informers.Workspaces, workspace);

        var result = await defaults.ReconcileAsync(workspace, CancellationToken.None);

        Assert.Equal(ReconcileResult.Done, result);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"spec": {"running": false}}"""), Body(WorkspacePath)),
            Body(WorkspacePath).ToJsonString());
        Assert.Contains(await EventsAsync(), e => e is ("Normal", WorkspaceReasons.MaxSessionReached, _));
    }

    [Fact]
    public async Task A_workspace_s_own_lifecycle_wins_over_the_operator_s_default()
    {
        await WithVmAsync(running: true, "Running");
        var defaults = new WorkspaceReconciler(cluster.Manager, informers, discovery,
            new ControllerSettings { DefaultWorkspaceLifecycle = MaxSession() }, cluster.Time);
        var workspace = Scheduled(MaxSession("12h"), sessionStart: Now.AddHours(-9));
        FakeCluster.Seed(informers.Workspaces, workspace);

        var result = await defaults.ReconcileAsync(workspace, CancellationToken.None);

        Assert.Equal(ReconcileResult.RequeueAfter(new TimeSpan(2, 50, 0)), result);
        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
    }

    [Fact]
    public async Task Without_a_lifecycle_or_a_default_a_long_session_goes_on()
    {
        await WithVmAsync(running: true, "Running");

        var result = await ReconcileAsync(Scheduled(null, sessionStart: Now.AddDays(-3)));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
    }

    [Fact]
    public async Task A_workspace_stopped_by_its_session_limit_is_ready_saying_since_when()
    {
        await WithVmAsync(running: false, "Stopped");

        var result = await ReconcileAsync(Scheduled(MaxSession(), running: false, planned: Planned(WorkspaceSchedule.MaxSessionReached, Now.AddHours(-1), done: true)));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
        var status = Status();
        var ready = Condition(status, ConditionTypes.Ready);
        Assert.Equal(("True", WorkspaceReasons.MaxSessionReached), (ready["status"]!.GetValue<string>(), ready["reason"]!.GetValue<string>()));
        Assert.Equal("stopped by spec.lifecycle since 2026-12-01T11:00:00Z (MaxSessionReached); set running: true to start it again", ready["message"]!.GetValue<string>());
        Assert.Equal("Stopped", status["phase"]!.GetValue<string>());
        Assert.Equal(WorkspaceReasons.MaxSessionReached, WrittenStatus().ScheduledStop!.Reason);
    }

    [Fact]
    public async Task A_workspace_stopped_outside_its_hours_is_started_when_the_next_window_has_begun()
    {
        await WithVmAsync(running: false, "Stopped");
        var yesterday = new DateTime(2026, 11, 30, 18, 0, 0, DateTimeKind.Utc);

        var result = await ReconcileAsync(Scheduled(OfficeHours(), running: false, planned: Planned(WorkspaceSchedule.OutsideActiveHours, yesterday, done: true)));

        Assert.Equal(ReconcileResult.Done, result);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"spec": {"running": true}}"""), Body(WorkspacePath)),
            Body(WorkspacePath).ToJsonString());
        Assert.Null(Status()["scheduledStop"]);
        Assert.Contains(("Normal", WorkspaceReasons.StartedBySchedule, "the active hours began: starting the virtual machine (startAutomatically)"), await EventsAsync());
    }

    [Fact]
    public async Task A_workspace_stopped_outside_its_hours_waits_for_the_next_window()
    {
        await WithVmAsync(running: false, "Stopped");
        var yesterday = new DateTime(2026, 11, 30, 18, 0, 0, DateTimeKind.Utc);

        // 14:00 in Berlin is 13:00 UTC: an hour from now.
        var result = await ReconcileAsync(Scheduled(OfficeHours(start: "14:00"), running: false, planned: Planned(WorkspaceSchedule.OutsideActiveHours, yesterday, done: true)));

        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromHours(1)), result);
        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
    }

    [Fact]
    public async Task An_invalid_lifecycle_is_stalled_and_stops_nothing()
    {
        await WithVmAsync(running: true, "Running");
        var lifecycle = OfficeHours();
        lifecycle.ActiveHours!.TimeZone = "Europe/Atlantis";

        var result = await ReconcileAsync(Scheduled(lifecycle, sessionStart: Now.AddHours(-9)));

        Assert.Equal(ReconcileResult.Terminal(WorkspaceReasons.InvalidLifecycle), result);
        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
        var stalled = Condition(Status(), ConditionTypes.Stalled);
        Assert.Equal(WorkspaceReasons.InvalidLifecycle, stalled["reason"]!.GetValue<string>());
        Assert.Contains("spec.lifecycle.activeHours.timeZone \"Europe/Atlantis\"", stalled["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scheduled_stop_is_not_refused_because_of_the_status_the_same_reconcile_wrote()
    {
        // The API server gives the workspace a new resourceVersion for every write, its status
        // included: a spec patch carrying the version read before the status write would get 409,
        // and every retry would write a new scheduledStop.time and be refused again.
        await WithVmAsync(running: true, "Running");
        WorkspaceVersions(15);

        var thrown = await Record.ExceptionAsync(() =>
            ReconcileAsync(Scheduled(MaxSession(), sessionStart: Now.AddHours(-8).AddMinutes(-1), planned: Planned(WorkspaceSchedule.MaxSessionReached, Now.AddMinutes(-1)))));

        Assert.True(thrown is null, $"the reconcile failed: {thrown?.Message}");
        Assert.Contains($"PATCH {WorkspacePath}", Lines());
    }

    [Fact]
    public async Task A_scheduled_start_is_not_refused_because_of_the_status_the_same_reconcile_wrote()
    {
        await WithVmAsync(running: false, "Stopped");
        WorkspaceVersions(15);
        var yesterday = new DateTime(2026, 11, 30, 18, 0, 0, DateTimeKind.Utc);

        var thrown = await Record.ExceptionAsync(() =>
            ReconcileAsync(Scheduled(OfficeHours(), running: false, planned: Planned(WorkspaceSchedule.OutsideActiveHours, yesterday, done: true))));

        // Once refused, the retry finds the status without scheduledStop and never starts the workspace.
        Assert.True(thrown is null, $"the reconcile failed: {thrown?.Message}");
    }

    [Fact]
    public async Task A_problem_does_not_erase_the_stop_the_lifecycle_made()
    {
        // Stopped outside its hours with startAutomatically; meanwhile the disk size is set below
        // the disk's (refused). The stop stays recorded, so the workspace still starts once the
        // problem is fixed and a window begins.
        var kubeVirt = PublishKubeVirt();
        FakeCluster.Seed(kubeVirt.DataVolumes, TestWorkspaces.Disk("Succeeded", size: "30Gi"));
        FakeCluster.Seed(kubeVirt.VirtualMachines, TestWorkspaces.Vm("Stopped"));
        var stop = Planned(WorkspaceSchedule.OutsideActiveHours, new DateTime(2026, 11, 30, 18, 0, 0, DateTimeKind.Utc), done: true);

        var result = await ReconcileAsync(Scheduled(OfficeHours(start: "14:00"), running: false, planned: stop));

        Assert.Equal(ReconcileResult.Terminal(WorkspaceReasons.DiskShrinkRefused), result);
        Assert.DoesNotContain($"PATCH {WorkspacePath}", Lines());
        var written = WrittenStatus().ScheduledStop;
        Assert.NotNull(written);
        Assert.Equal((stop.Reason, stop.Time), (written.Reason, written.Time));
    }

    public void Dispose() => cluster.Dispose();
}
