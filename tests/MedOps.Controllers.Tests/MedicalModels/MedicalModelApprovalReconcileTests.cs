using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels;
using MedOps.Controllers.Tests.Approvals;
using MedOps.Controllers.Tests.Fakes;
using MedOps.Runtime.Api;
using MedOps.Runtime.Audit;
using MedOps.Runtime.Controllers;
using MedOps.Runtime.Informers;

namespace MedOps.Controllers.Tests.MedicalModels;

/// <summary>
/// The MedicalModel reconciler with the approval gate, against an in-memory API server and
/// seeded caches: a Clinical model serves only an approved version, the approved version keeps
/// serving untouched while the next waits, and deleting its approval scales the model to zero;
/// each change of what serves is an event and an audit record.
/// </summary>
public sealed class MedicalModelApprovalReconcileTests : IDisposable
{
    private const string Base = "/apis/medops.io/v1alpha1/namespaces/radiology/medicalmodels/chest-xray";
    private const string EventsPath = "/api/v1/namespaces/radiology/events";
    private const string DeploymentWrite = "PATCH /apis/apps/v1/namespaces/radiology/deployments/chest-xray";
    private const string DisruptionBudgetWrite = "PATCH /apis/policy/v1/namespaces/radiology/poddisruptionbudgets/chest-xray";

    private static readonly ServedVersions Versions = new(
        ResourceType.For<V2HorizontalPodAutoscaler>() with { Version = "v2" },
        ResourceType.For<V1PodDisruptionBudget>() with { Version = "v1" });

    private readonly FakeCluster cluster = new();
    private readonly RecordingAuditSink audit = new();
    private readonly MedicalModelInformers informers;
    private readonly MedicalModelReconciler reconciler;

    public MedicalModelApprovalReconcileTests()
    {
        informers = new MedicalModelInformers(cluster.Manager, Versions);
        reconciler = new MedicalModelReconciler(cluster.Manager, informers, Versions, new ControllerSettings { Audit = audit }, cluster.Time);
        FakeCluster.Seed(informers.Claims, FakeCluster.Claim(TestModels.Namespace, "models"));
    }

    private async Task<ReconcileResult> ReconcileAsync(V1Alpha1MedicalModel model)
    {
        FakeCluster.Seed(informers.Models, model);
        return await reconciler.ReconcileAsync(model, CancellationToken.None);
    }

    private JsonObject StatusWritten() =>
        Assert.Single(cluster.Server.Writes, r => r.Path == Base + "/status").Body!["status"]!.AsObject();

    private JsonObject DeploymentWritten() =>
        Assert.Single(cluster.Server.Writes, w => w.Line == DeploymentWrite).Body!;

    private static string ConditionStatus(JsonObject status, string type) => FakeCluster.Condition(status, type)["status"]!.GetValue<string>();

    private static string ConditionReason(JsonObject status, string type) => FakeCluster.Condition(status, type)["reason"]!.GetValue<string>();

    private static bool HasCondition(JsonObject status, string type) =>
        status["conditions"]!.AsArray().Any(c => c!["type"]!.GetValue<string>() == type);

    /// <summary>
    /// What the watches deliver after a reconcile: the children as the fake server answered
    /// their applies (the Deployment fully rolled out), without what it deleted, and the status as written. Clears the
    /// requests seen so far.
    /// </summary>
    private void Settle(V1Alpha1MedicalModel model)
    {
        var key = new ObjectKey(TestModels.Namespace, TestModels.Name);
        foreach (var write in cluster.Server.Writes.Where(w => !w.Path.EndsWith("/status", StringComparison.Ordinal) && w.Path != EventsPath).ToList())
        {
            if (write.Method == HttpMethod.Delete)
            {
                if (write.Path.Contains("/poddisruptionbudgets/", StringComparison.Ordinal))
                {
                    informers.DisruptionBudgets.Cache.Remove(key);
                }
                if (write.Path.Contains("/horizontalpodautoscalers/", StringComparison.Ordinal))
                {
                    informers.Autoscalers.Cache.Remove(key);
                }
                continue;
            }
            var answer = write.Body!.DeepClone().AsObject();
            answer["metadata"]!["generation"] = 1;
            var json = answer.ToJsonString();
            switch (answer["kind"]!.GetValue<string>())
            {
                case "Deployment":
                    var deployment = KubernetesJson.Deserialize<V1Deployment>(json);
                    var replicas = deployment.Spec.Replicas ?? 1;
                    deployment.Status = new V1DeploymentStatus { ObservedGeneration = 1, Replicas = replicas, ReadyReplicas = replicas, UpdatedReplicas = replicas };
                    FakeCluster.Seed(informers.Deployments, deployment);
                    break;
                case "Service": FakeCluster.Seed(informers.Services, KubernetesJson.Deserialize<V1Service>(json)); break;
                case "PodDisruptionBudget": FakeCluster.Seed(informers.DisruptionBudgets, KubernetesJson.Deserialize<V1PodDisruptionBudget>(json)); break;
                case "NetworkPolicy": FakeCluster.Seed(informers.NetworkPolicies, KubernetesJson.Deserialize<V1NetworkPolicy>(json)); break;
            }
        }
        model.Status = KubernetesJson.Deserialize<V1Alpha1MedicalModelStatus>(StatusWritten().ToJsonString());
        cluster.Server.Requests.Clear();
    }

    /// <summary>Runs the event recorder (the manager is not started) and returns the events it wrote.</summary>
    private async Task<List<(string Type, string Reason, string Message)>> EventsAsync()
    {
        var before = cluster.Server.Requests.Count;
        using var stop = new CancellationTokenSource();
        var running = cluster.Manager.Events.RunAsync(stop.Token);
        for (var i = 0; i < 500 && cluster.Server.Requests.Count == before; i++)
        {
            await Task.Delay(10);
        }
        await Task.Delay(100);
        await stop.CancelAsync();
        await running;
        return [.. cluster.Server.Requests.Skip(before).Where(r => r.Path == EventsPath)
            .Select(r => (r.Body!["type"]!.GetValue<string>(), r.Body!["reason"]!.GetValue<string>(), r.Body!["message"]!.GetValue<string>()))];
    }

    /// <summary>A Clinical model at 1.4.0 serving on bob's approval, Ready and settled: children in the caches, status as written.</summary>
    private async Task<V1Alpha1MedicalModel> ServingOnBobsApprovalAsync()
    {
        var model = GateFixtures.Clinical();
        FakeCluster.Seed(informers.Approvals, GateFixtures.Approval());
        await ReconcileAsync(model);
        Settle(model);
        // The rolled-out Deployment makes it Ready.
        await ReconcileAsync(model);
        Settle(model);
        Assert.Equal(MedicalModelPhase.Ready, model.Status!.Phase);
        audit.Calls.Clear();
        return model;
    }

    [Fact]
    public async Task A_clinical_model_without_approval_gets_its_children_at_zero_replicas_and_awaits_approval()
    {
        var result = await ReconcileAsync(GateFixtures.Clinical());

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal(0, DeploymentWritten()["spec"]!["replicas"]!.GetValue<int>());
        // Held as if suspended: no autoscaler and no disruption budget (2 replicas would have one).
        Assert.DoesNotContain(cluster.Server.Writes, w => w.Line == DisruptionBudgetWrite);
        Assert.DoesNotContain(cluster.Server.Writes, w => w.Path.Contains("horizontalpodautoscalers", StringComparison.Ordinal));
        var status = StatusWritten();
        Assert.Equal("AwaitingApproval", status["phase"]!.GetValue<string>());
        Assert.Equal("True", ConditionStatus(status, ConditionTypes.Reconciling));
        Assert.Equal(MedicalModelReasons.AwaitingApproval, ConditionReason(status, ConditionTypes.Reconciling));
        Assert.Equal("False", ConditionStatus(status, ConditionTypes.Ready));
        Assert.Equal(MedicalModelReasons.AwaitingApproval, ConditionReason(status, ConditionTypes.Ready));
        Assert.False(HasCondition(status, ConditionTypes.Stalled));
        Assert.Equal("AwaitingApproval", status["approval"]!["state"]!.GetValue<string>());
        Assert.Equal("1.4.0", status["approval"]!["pending"]!["version"]!.GetValue<string>());
        Assert.Null(status["approval"]!["approved"]);
        Assert.Empty(audit.Calls);
    }

    [Fact]
    public async Task A_self_made_approval_leaves_the_model_at_zero_replicas_and_the_condition_says_why()
    {
        FakeCluster.Seed(informers.Approvals, GateFixtures.Approval(GateFixtures.VersionSetter));

        await ReconcileAsync(GateFixtures.Clinical());

        Assert.Equal(0, DeploymentWritten()["spec"]!["replicas"]!.GetValue<int>());
        var ready = FakeCluster.Condition(StatusWritten(), ConditionTypes.Ready);
        Assert.Contains("dave set version 1.4.0 of model chest-xray and cannot approve it", ready["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(audit.Calls);
    }

    [Fact]
    public async Task An_approval_by_a_second_person_serves_the_replicas_with_an_event_and_one_audit_record()
    {
        var model = GateFixtures.Clinical();
        FakeCluster.Seed(informers.Approvals, GateFixtures.Approval());

        var result = await ReconcileAsync(model);

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal(2, DeploymentWritten()["spec"]!["replicas"]!.GetValue<int>());
        Assert.Contains(cluster.Server.Writes, w => w.Line == DisruptionBudgetWrite);
        var status = StatusWritten();
        Assert.Equal("Deploying", status["phase"]!.GetValue<string>());
        var approval = status["approval"]!;
        Assert.Equal("Approved", approval["state"]!.GetValue<string>());
        Assert.Equal(GateFixtures.Name140, approval["approved"]!["approval"]!.GetValue<string>());
        Assert.Equal(GateFixtures.Reviewer, approval["approved"]!["approver"]!.GetValue<string>());

        var call = Assert.Single(audit.Calls);
        Assert.Equal(TestModels.Namespace, call.Chain);
        var entry = Assert.Single(call.Entries);
        Assert.Equal("VersionServing", entry.Action);
        Assert.Equal(OperatorAudit.Actor, entry.Actor);
        Assert.Equal("medops-operator", entry.Actor);
        Assert.Equal(cluster.Time.GetUtcNow(), entry.Time);
        Assert.Equal(new AuditObject(V1Alpha1MedicalModel.KubeKind, TestModels.Namespace, TestModels.Name, TestModels.Uid, 3), entry.Object);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["classification"] = "PHI",
                ["version"] = "1.4.0",
                ["digest"] = TestModels.Digest,
                ["approval"] = GateFixtures.Name140,
                ["approver"] = GateFixtures.Reviewer,
            },
            entry.Facts);

        var events = await EventsAsync();
        var approved = Assert.Single(events, e => e.Reason == MedicalModelReasons.VersionApproved);
        Assert.Equal("Normal", approved.Type);
        Assert.Equal($"version 1.4.0 ({TestModels.Digest}) approved by bob in ModelApproval {GateFixtures.Name140}: serving it", approved.Message);
    }

    [Fact]
    public async Task A_reconcile_that_still_reads_the_status_from_before_the_write_does_not_record_the_change_again()
    {
        var model = GateFixtures.Clinical();
        FakeCluster.Seed(informers.Approvals, GateFixtures.Approval());

        await ReconcileAsync(model);
        // The cache has not caught up with the status write yet: the same old copy comes back.
        await ReconcileAsync(model);

        var entry = Assert.Single(audit.Calls.SelectMany(c => c.Entries));
        Assert.Equal("VersionServing", entry.Action);
        Assert.Single(await EventsAsync(), e => e.Reason == MedicalModelReasons.VersionApproved);
    }

    [Fact]
    public async Task Once_approved_and_settled_a_reconcile_writes_nothing_and_records_nothing()
    {
        var model = await ServingOnBobsApprovalAsync();

        await ReconcileAsync(model);

        Assert.Empty(cluster.Server.Writes);
        Assert.Empty(audit.Calls);
    }

    [Fact]
    public async Task A_new_version_waiting_for_approval_leaves_the_deployment_untouched()
    {
        var model = await ServingOnBobsApprovalAsync();
        GateFixtures.MoveTo150(model);

        var result = await ReconcileAsync(model);

        Assert.Equal(ReconcileResult.Done, result);
        // No child is applied: the server keeps running 1.4.0 as it is.
        Assert.Equal([$"PATCH {Base}/status"], cluster.Server.Writes.Select(w => w.Line));
        var status = StatusWritten();
        Assert.Equal("AwaitingApproval", status["phase"]!.GetValue<string>());
        Assert.Equal("True", ConditionStatus(status, ConditionTypes.Reconciling));
        Assert.False(HasCondition(status, ConditionTypes.Stalled));
        // The old version still serves its two replicas.
        Assert.Equal(2, status["readyReplicas"]!.GetValue<int>());
        Assert.Equal("True", ConditionStatus(status, ConditionTypes.Available));
        var approval = status["approval"]!;
        Assert.Equal("AwaitingApproval", approval["state"]!.GetValue<string>());
        Assert.Equal("1.4.0", approval["approved"]!["version"]!.GetValue<string>());
        Assert.Equal(GateFixtures.Name140, approval["approved"]!["approval"]!.GetValue<string>());
        Assert.Equal("1.5.0", approval["pending"]!["version"]!.GetValue<string>());
        Assert.Equal(GateFixtures.NextDigest, approval["pending"]!["digest"]!.GetValue<string>());
        Assert.Empty(audit.Calls);
    }

    [Fact]
    public async Task While_a_new_version_waits_a_deleted_network_policy_of_the_PHI_model_is_applied_again()
    {
        var model = await ServingOnBobsApprovalAsync();
        GateFixtures.MoveTo150(model);
        // Someone deletes the policy that confines the PHI model while 1.5.0 waits for approval.
        Assert.NotNull(informers.NetworkPolicies.Cache.Remove(new ObjectKey(model.Metadata.NamespaceProperty, model.Metadata.Name)));

        await ReconcileAsync(model);

        // Confinement does not wait for an approval; the server's Deployment is left alone.
        Assert.Equal(
            [$"PATCH /apis/networking.k8s.io/v1/namespaces/radiology/networkpolicies/chest-xray", $"PATCH {Base}/status"],
            cluster.Server.Writes.Select(w => w.Line));
        Assert.Equal("AwaitingApproval", StatusWritten()["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_new_version_approved_rolls_out_and_is_recorded()
    {
        var model = await ServingOnBobsApprovalAsync();
        GateFixtures.MoveTo150(model);
        await ReconcileAsync(model);
        Settle(model);
        FakeCluster.Seed(informers.Approvals, GateFixtures.Approval150());

        await ReconcileAsync(model);

        Assert.Contains("chest-xray/1.5.0", DeploymentWritten().ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(2, DeploymentWritten()["spec"]!["replicas"]!.GetValue<int>());
        var entry = Assert.Single(audit.Calls.SelectMany(c => c.Entries));
        Assert.Equal("VersionServing", entry.Action);
        Assert.Equal("1.5.0", entry.Facts!["version"]);
        Assert.Equal(GateFixtures.Name150, entry.Facts["approval"]);
    }

    [Fact]
    public async Task Deleting_the_approval_of_the_serving_version_scales_to_zero_with_a_warning_and_one_record()
    {
        var model = await ServingOnBobsApprovalAsync();
        informers.Approvals.Cache.Remove(new ObjectKey(TestModels.Namespace, GateFixtures.Name140));

        var result = await ReconcileAsync(model);

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal(0, DeploymentWritten()["spec"]!["replicas"]!.GetValue<int>());
        Assert.Contains(cluster.Server.Writes, w => w.Line == "DELETE /apis/policy/v1/namespaces/radiology/poddisruptionbudgets/chest-xray");
        var status = StatusWritten();
        Assert.Equal("AwaitingApproval", status["phase"]!.GetValue<string>());
        Assert.Equal(MedicalModelReasons.ApprovalRevoked, ConditionReason(status, ConditionTypes.Reconciling));
        Assert.False(HasCondition(status, ConditionTypes.Stalled));
        Assert.Equal("Revoked", status["approval"]!["state"]!.GetValue<string>());
        Assert.Null(status["approval"]!["approved"]);

        var entry = Assert.Single(Assert.Single(audit.Calls).Entries);
        Assert.Equal("ServingStopped", entry.Action);
        Assert.Equal(OperatorAudit.Actor, entry.Actor);
        Assert.Equal(MedicalModelReasons.ApprovalRevoked, entry.Facts!["reason"]);
        Assert.Equal("1.4.0", entry.Facts["version"]);
        Assert.Equal(GateFixtures.Name140, entry.Facts["approval"]);
        Assert.Equal(GateFixtures.Reviewer, entry.Facts["approver"]);

        var revoked = Assert.Single(await EventsAsync(), e => e.Reason == MedicalModelReasons.ApprovalRevoked);
        Assert.Equal("Warning", revoked.Type);
        Assert.StartsWith($"ModelApproval {GateFixtures.Name140} of version 1.4.0 was deleted: scaled to zero", revoked.Message, StringComparison.Ordinal);

        // The next reconciles stay at zero without recording the revocation again. (The second
        // rewrites the status once: its message no longer names the deleted approval.)
        Settle(model);
        await ReconcileAsync(model);
        Assert.All(cluster.Server.Writes, w => Assert.Equal($"PATCH {Base}/status", w.Line));
        Assert.Equal("Revoked", StatusWritten()["approval"]!["state"]!.GetValue<string>());
        Settle(model);
        await ReconcileAsync(model);
        Assert.Empty(cluster.Server.Writes);
        Assert.Single(audit.Calls);
    }

    [Fact]
    public async Task Deleting_the_old_approval_while_a_new_version_waits_stops_the_old_version()
    {
        var model = await ServingOnBobsApprovalAsync();
        GateFixtures.MoveTo150(model);
        await ReconcileAsync(model);
        Settle(model);
        informers.Approvals.Cache.Remove(new ObjectKey(TestModels.Namespace, GateFixtures.Name140));

        await ReconcileAsync(model);

        Assert.Equal(0, DeploymentWritten()["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("Revoked", StatusWritten()["approval"]!["state"]!.GetValue<string>());
        var entry = Assert.Single(audit.Calls.SelectMany(c => c.Entries));
        Assert.Equal("ServingStopped", entry.Action);
        Assert.Equal("1.4.0", entry.Facts!["version"]);
    }

    [Fact]
    public async Task After_a_revocation_a_new_approval_serves_again_and_is_recorded()
    {
        var model = await ServingOnBobsApprovalAsync();
        informers.Approvals.Cache.Remove(new ObjectKey(TestModels.Namespace, GateFixtures.Name140));
        await ReconcileAsync(model);
        Settle(model);
        audit.Calls.Clear();
        FakeCluster.Seed(informers.Approvals, GateFixtures.Approval(name: "chest-xray-1-4-0-again"));

        await ReconcileAsync(model);

        Assert.Equal(2, DeploymentWritten()["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("Approved", StatusWritten()["approval"]!["state"]!.GetValue<string>());
        var entry = Assert.Single(audit.Calls.SelectMany(c => c.Entries));
        Assert.Equal("VersionServing", entry.Action);
        Assert.Equal("chest-xray-1-4-0-again", entry.Facts!["approval"]);
    }

    [Fact]
    public async Task A_failing_audit_write_fails_the_reconcile_before_the_status_is_written()
    {
        FakeCluster.Seed(informers.Approvals, GateFixtures.Approval());
        audit.Failure = new IOException("audit store unavailable");

        await Assert.ThrowsAsync<IOException>(() => ReconcileAsync(GateFixtures.Clinical()));

        // Retried: the status does not yet claim the version serves, so the record is not lost.
        Assert.DoesNotContain(cluster.Server.Writes, w => w.Path == Base + "/status");
    }

    // Refuses the Deployment's apply, as a quota or a policy webhook would (not retried inside the client).
    private void RefuseDeployment() => cluster.Server.Intercept = request =>
        $"{request.Method} {request.RequestUri!.AbsolutePath}" == DeploymentWrite
            ? new HttpResponseMessage(HttpStatusCode.Forbidden)
            {
                Content = new StringContent(
                    new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = "exceeded quota: gpu", ["reason"] = "Forbidden", ["code"] = 403 }.ToJsonString(),
                    Encoding.UTF8, "application/json"),
            }
            : null;

    [Fact]
    public async Task An_approved_version_whose_apply_was_refused_is_recorded_when_the_retry_serves_it()
    {
        var model = GateFixtures.Clinical();
        FakeCluster.Seed(informers.Approvals, GateFixtures.Approval());
        RefuseDeployment();
        await Assert.ThrowsAsync<KubeApiException>(() => ReconcileAsync(model));
        // Not serving yet, so nothing is recorded yet.
        Assert.Empty(audit.Calls);
        // The refused apply changed nothing: the watches deliver only the status written.
        cluster.Server.Requests.RemoveAll(r => r.Line == DeploymentWrite);
        Settle(model);
        cluster.Server.Intercept = null;

        await ReconcileAsync(model);

        Assert.Equal(2, DeploymentWritten()["spec"]!["replicas"]!.GetValue<int>());
        var entry = Assert.Single(audit.Calls.SelectMany(c => c.Entries));
        Assert.Equal("VersionServing", entry.Action);
    }

    [Fact]
    public async Task A_revocation_whose_scale_down_was_refused_is_recorded_when_the_retry_stops_serving()
    {
        var model = await ServingOnBobsApprovalAsync();
        informers.Approvals.Cache.Remove(new ObjectKey(TestModels.Namespace, GateFixtures.Name140));
        RefuseDeployment();
        await Assert.ThrowsAsync<KubeApiException>(() => ReconcileAsync(model));
        Assert.Empty(audit.Calls);
        // The refused apply changed nothing: the watches deliver only the status written.
        cluster.Server.Requests.RemoveAll(r => r.Line == DeploymentWrite);
        Settle(model);
        cluster.Server.Intercept = null;

        await ReconcileAsync(model);

        Assert.Equal(0, DeploymentWritten()["spec"]!["replicas"]!.GetValue<int>());
        var entry = Assert.Single(audit.Calls.SelectMany(c => c.Entries));
        Assert.Equal("ServingStopped", entry.Action);
    }

    [Fact]
    public async Task A_research_model_ignores_approvals_and_records_nothing()
    {
        FakeCluster.Seed(informers.Approvals, GateFixtures.Approval(GateFixtures.Creator));
        var model = TestModels.ChestXray(s => s.Source.Digest = TestModels.Digest);

        await ReconcileAsync(model);

        Assert.Equal(2, DeploymentWritten()["spec"]!["replicas"]!.GetValue<int>());
        var status = StatusWritten();
        Assert.Equal("Deploying", status["phase"]!.GetValue<string>());
        Assert.Null(status["approval"]);
        Assert.Empty(audit.Calls);
    }

    public void Dispose() => cluster.Dispose();

    /// <summary>An audit sink that keeps every call, or fails them when told to.</summary>
    private sealed class RecordingAuditSink : IAuditSink
    {
        public List<(string Chain, IReadOnlyList<AuditEntry> Entries)> Calls { get; } = [];

        public Exception? Failure { get; set; }

        public Task RecordAsync(string chainNamespace, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                throw Failure;
            }
            Calls.Add((chainNamespace, entries));
            return Task.CompletedTask;
        }
    }
}
