using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Admission;
using MedOps.Controllers.Tests.Approvals;
using MedOps.Controllers.Tests.TrainingJobs;
using MedOps.Controllers.Tests.Workspaces;
using MedOps.Controllers.TrainingJobs.Builders;
using MedOps.Runtime.Admission;
using MedOps.Runtime.Audit;
using Microsoft.Extensions.Time.Testing;

namespace MedOps.Controllers.Tests.Admission;

public sealed class AdmissionAuditTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeAuditSink sink = new();
    private readonly AdmissionHarness harness;

    public AdmissionAuditTests()
    {
        harness = new AdmissionHarness { Observer = new AdmissionAudit(sink, new FakeTimeProvider(Now)) };
        // What the requests below need beyond alice's edit rights: every action is allowed.
        harness.Reviewer.Grant(Declassification.Verb, V1Alpha1MedicalModel.KubePluralName)
            .Grant(Declassification.Verb, V1Alpha1TrainingJob.KubePluralName)
            .Grant(Declassification.Verb, V1Alpha1Workspace.KubePluralName)
            .Grant(ModelApprovalAdmission.Verb, V1Alpha1MedicalModel.KubePluralName);
        harness.Settings = new GuardrailSettings { PhiStorageClasses = [AdmissionHarness.EncryptedClass] };
        harness.Cluster.WithDefaultClasses(AdmissionHarness.EncryptedClass)
            .WithClaim(TestJobs.Namespace, "models", AdmissionHarness.EncryptedClass);
    }

    private async Task<AdmissionResponse> SendAsync(AdmissionRequest request, bool allowed = true)
    {
        var response = await harness.DecideAsync(request);
        Assert.True(response.Allowed == allowed, response.Status?.Message ?? "allowed");
        return response;
    }

    /// <summary>The one entry of the one call, written in the chain of <paramref name="chain"/>.</summary>
    private AuditEntry Single(string chain)
    {
        var (written, entries) = Assert.Single(sink.Calls);
        Assert.Equal(chain, written);
        return Assert.Single(entries);
    }

    private static Dictionary<string, string> Facts(AuditEntry entry) => new(entry.Facts ?? new Dictionary<string, string>());

    [Fact]
    public async Task Creating_a_model_records_its_version_digest_classification_and_usage_but_not_its_uri()
    {
        await SendAsync(AdmissionHarness.Create(TestModels.ChestXray(s => { s.Usage = ModelUsage.Clinical; s.Source.Digest = TestModels.Digest; })));

        var entry = Single(TestModels.Namespace);
        Assert.Equal(Now, entry.Time);
        Assert.Equal((AdmissionHarness.User, "ModelCreated"), (entry.Actor, entry.Action));
        Assert.Equal(new AuditObject("MedicalModel", TestModels.Namespace, TestModels.Name, TestModels.Uid, 3), entry.Object);
        Assert.Equal(new Dictionary<string, string>
        {
            ["version"] = "1.4.0",
            ["digest"] = TestModels.Digest,
            ["classification"] = "PHI",
            ["usage"] = "Clinical",
        }, Facts(entry));
    }

    [Fact]
    public async Task A_model_without_a_digest_has_no_digest_fact()
    {
        await SendAsync(AdmissionHarness.Create(TestModels.ChestXray()));

        Assert.Equal(["classification", "usage", "version"], Facts(Single(TestModels.Namespace)).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_model_a_training_job_registers_is_recorded_as_registered_with_the_job()
    {
        var registered = ModelRegistrationBuilder.Build(TestJobs.ChestXray(s => s.Model = new ModelRegistration
        {
            Name = "chest-xray-trained",
            Template = TestModels.ChestXray().Spec,
        }))!;
        var request = AdmissionHarness.By("system:serviceaccount:medops-system:medops-operator", AdmissionHarness.Create(registered));

        await SendAsync(request);

        var entry = Single(TestJobs.Namespace);
        Assert.Equal(("system:serviceaccount:medops-system:medops-operator", "ModelRegistered"), (entry.Actor, entry.Action));
        Assert.Equal(TestJobs.Name, Facts(entry)["trainingJob"]);
        Assert.Equal("1.4.0", Facts(entry)["version"]);
    }

    [Fact]
    public async Task A_new_version_records_the_new_and_previous_version_and_digest_and_no_uri()
    {
        var old = TestApprovals.ClinicalModel();
        var next = TestApprovals.ClinicalModel(s => { s.Version = "1.5.0"; s.Source.Digest = TestApprovals.OtherDigest; s.Source.Uri = "pvc://models/chest-xray/1.5.0"; });

        await SendAsync(AdmissionHarness.Update(old, next));

        var entry = Single(TestModels.Namespace);
        Assert.Equal("ModelVersionChanged", entry.Action);
        Assert.Equal(new Dictionary<string, string>
        {
            ["version"] = "1.5.0",
            ["digest"] = TestApprovals.OtherDigest,
            ["previousVersion"] = "1.4.0",
            ["previousDigest"] = TestModels.Digest,
        }, Facts(entry));
    }

    [Fact]
    public async Task A_new_source_under_the_same_version_is_a_version_change_that_does_not_name_the_source()
    {
        await SendAsync(AdmissionHarness.Update(TestModels.ChestXray(), TestModels.ChestXray(s => s.Source.Uri = "pvc://models/mrn-000123/chest-xray")));

        var entry = Single(TestModels.Namespace);
        Assert.Equal("ModelVersionChanged", entry.Action);
        Assert.DoesNotContain(Facts(entry).Values, v => v.Contains("pvc://", StringComparison.Ordinal) || v.Contains("mrn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Several_controlled_changes_of_a_model_are_one_call_with_one_entry_each_in_order()
    {
        var old = TestApprovals.ClinicalModel();
        var next = TestApprovals.ClinicalModel(s =>
        {
            s.Version = "1.5.0";
            s.DataClassification = DataClassification.DeIdentified;
            s.Usage = ModelUsage.Research;
            s.Suspend = true;
        });

        await SendAsync(AdmissionHarness.Update(old, next));

        var (_, entries) = Assert.Single(sink.Calls);
        Assert.Equal(["ModelVersionChanged", "ClassificationChanged", "UsageChanged", "Suspended"], entries.Select(e => e.Action));
        Assert.Equal(new Dictionary<string, string> { ["from"] = "PHI", ["to"] = "DeIdentified" }, Facts(entries[1]));
        Assert.Equal(new Dictionary<string, string> { ["from"] = "Clinical", ["to"] = "Research" }, Facts(entries[2]));
        Assert.Empty(Facts(entries[3]));
        Assert.All(entries, e => Assert.Equal(AdmissionHarness.User, e.Actor));
    }

    [Fact]
    public async Task Resuming_a_model_is_recorded()
    {
        await SendAsync(AdmissionHarness.Update(TestModels.ChestXray(s => s.Suspend = true), TestModels.ChestXray()));

        Assert.Equal("Resumed", Single(TestModels.Namespace).Action);
    }

    [Fact]
    public async Task Raising_a_classification_or_a_usage_is_recorded_too()
    {
        await SendAsync(AdmissionHarness.Update(
            TestModels.ChestXray(s => { s.DataClassification = DataClassification.Public; s.Source.Digest = TestModels.Digest; }),
            TestModels.ChestXray(s => { s.Usage = ModelUsage.Clinical; s.Source.Digest = TestModels.Digest; })));

        var (_, entries) = Assert.Single(sink.Calls);
        Assert.Equal(["ClassificationChanged", "UsageChanged"], entries.Select(e => e.Action));
    }

    [Fact]
    public async Task A_change_of_replicas_or_of_metadata_only_records_nothing()
    {
        await SendAsync(AdmissionHarness.Update(TestModels.ChestXray(), TestModels.ChestXray(s => s.Replicas = 5)));
        var labelled = TestModels.ChestXray();
        labelled.Metadata.Labels["reviewed"] = "true";
        await SendAsync(AdmissionHarness.Update(TestModels.ChestXray(), labelled));

        Assert.Empty(sink.Calls);
    }

    [Fact]
    public async Task A_training_job_records_its_classification_and_suspension()
    {
        await SendAsync(AdmissionHarness.Update(TestJobs.ChestXray(), TestJobs.ChestXray(s => { s.Suspend = true; s.Env = []; })));
        await SendAsync(AdmissionHarness.Update(
            TestJobs.ChestXray(s => s.Suspend = true),
            TestJobs.ChestXray(s => s.DataClassification = DataClassification.LimitedDataSet)));

        Assert.Equal(
            [("TrainingJob", "Suspended"), ("TrainingJob", "ClassificationChanged"), ("TrainingJob", "Resumed")],
            sink.Entries.Select(e => (e.Object.Kind, e.Action)));
        Assert.Equal(new Dictionary<string, string> { ["from"] = "PHI", ["to"] = "LimitedDataSet" }, Facts(sink.Entries.ElementAt(1)));
        Assert.Equal(new AuditObject("TrainingJob", TestJobs.Namespace, TestJobs.Name, TestJobs.Uid, 2), sink.Entries.First().Object);
    }

    [Fact]
    public async Task Creating_a_training_job_records_nothing()
    {
        await SendAsync(AdmissionHarness.Create(TestJobs.ChestXray()));

        Assert.Empty(sink.Calls);
    }

    [Fact]
    public async Task A_workspace_records_when_it_starts_and_stops()
    {
        await SendAsync(AdmissionHarness.Create(TestWorkspaces.DrSmith()));
        await SendAsync(AdmissionHarness.Update(TestWorkspaces.DrSmith(), TestWorkspaces.DrSmith(s => s.Running = false)));
        await SendAsync(AdmissionHarness.Update(TestWorkspaces.DrSmith(s => s.Running = false), TestWorkspaces.DrSmith()));

        Assert.Equal(["WorkspaceStarted", "WorkspaceStopped", "WorkspaceStarted"], sink.Entries.Select(e => e.Action));
        Assert.All(sink.Calls, c => Assert.Equal(TestWorkspaces.Namespace, c.Chain));
        Assert.Equal(new Dictionary<string, string> { ["classification"] = "PHI" }, Facts(sink.Entries.First()));
    }

    [Fact]
    public async Task A_workspace_created_stopped_records_nothing_and_a_lowered_one_its_classification()
    {
        await SendAsync(AdmissionHarness.Create(TestWorkspaces.DrSmith(s => s.Running = false)));
        Assert.Empty(sink.Calls);

        await SendAsync(AdmissionHarness.Update(TestWorkspaces.DrSmith(), TestWorkspaces.DrSmith(s => s.DataClassification = DataClassification.DeIdentified)));

        var entry = Single(TestWorkspaces.Namespace);
        Assert.Equal("ClassificationChanged", entry.Action);
        Assert.Equal(new Dictionary<string, string> { ["from"] = "PHI", ["to"] = "DeIdentified" }, Facts(entry));
    }

    [Fact]
    public async Task Granting_an_approval_records_the_model_version_digest_and_approver_but_not_the_comment()
    {
        harness.Cluster.WithModel(TestApprovals.ClinicalModel());

        await SendAsync(AdmissionHarness.By(TestApprovals.Reviewer, AdmissionHarness.Create(TestApprovals.Approval())));

        var entry = Single(TestModels.Namespace);
        Assert.Equal((TestApprovals.Reviewer, "ApprovalGranted"), (entry.Actor, entry.Action));
        Assert.Equal(new AuditObject("ModelApproval", TestModels.Namespace, TestApprovals.Name, "5e0c7a3b-1d2f-4e6a-8b9c-0a1b2c3d4e5f", 1), entry.Object);
        Assert.Equal(new Dictionary<string, string>
        {
            ["model"] = TestModels.Name,
            ["version"] = "1.4.0",
            ["digest"] = TestModels.Digest,
            ["approver"] = TestApprovals.Reviewer,
        }, Facts(entry));
    }

    [Fact]
    public async Task Revoking_an_approval_records_its_approver_and_who_deleted_it()
    {
        await SendAsync(AdmissionHarness.By("erin", AdmissionHarness.Delete(TestApprovals.Approval(approver: TestApprovals.Reviewer))));

        var entry = Single(TestModels.Namespace);
        Assert.Equal(("erin", "ApprovalRevoked"), (entry.Actor, entry.Action));
        Assert.Equal(TestApprovals.Name, entry.Object.Name);
        Assert.Equal(new Dictionary<string, string>
        {
            ["model"] = TestModels.Name,
            ["version"] = "1.4.0",
            ["digest"] = TestModels.Digest,
            ["approver"] = TestApprovals.Reviewer,
        }, Facts(entry));
    }

    [Fact]
    public async Task A_metadata_only_update_of_an_approval_records_nothing()
    {
        var labelled = TestApprovals.Approval(approver: TestApprovals.Reviewer);
        labelled.Metadata.Labels = new Dictionary<string, string> { ["ticket"] = "CHG-88" };

        await SendAsync(AdmissionHarness.Update(TestApprovals.Approval(approver: TestApprovals.Reviewer), labelled));

        Assert.Empty(sink.Calls);
    }

    [Fact]
    public async Task A_refusal_records_the_operation_the_fields_and_whether_it_was_forbidden()
    {
        harness.Cluster.WithModel(TestApprovals.ClinicalModel());

        await SendAsync(AdmissionHarness.By(TestApprovals.VersionSetter, AdmissionHarness.Create(TestApprovals.Approval(s => s.Version = "1.3.0"))), allowed: false);

        var entry = Single(TestModels.Namespace);
        Assert.Equal((TestApprovals.VersionSetter, "Refused"), (entry.Actor, entry.Action));
        Assert.Equal(new Dictionary<string, string>
        {
            ["operation"] = "CREATE",
            ["fields"] = "spec.version,spec.approver",
            ["forbidden"] = "true",
        }, Facts(entry));
    }

    [Fact]
    public async Task An_invalid_refusal_is_not_forbidden_and_records_no_value()
    {
        await SendAsync(AdmissionHarness.Create(TestModels.ChestXray(s => s.Source.Uri = "https://huggingface.co/mrn-000123/model.onnx")), allowed: false);

        var entry = Single(TestModels.Namespace);
        Assert.Equal("Refused", entry.Action);
        Assert.Equal(new Dictionary<string, string>
        {
            ["operation"] = "CREATE",
            ["fields"] = "spec.source.uri",
            ["forbidden"] = "false",
        }, Facts(entry));
    }

    [Fact]
    public async Task A_refused_delete_names_the_stored_object()
    {
        await SendAsync(AdmissionHarness.Delete(TestWorkspaces.DrSmith(s => s.LegalHold = "case-2026-17")), allowed: false);

        var entry = Single(TestWorkspaces.Namespace);
        Assert.Equal("Refused", entry.Action);
        Assert.Equal(new AuditObject("Workspace", TestWorkspaces.Namespace, TestWorkspaces.Name, TestWorkspaces.Uid, 2), entry.Object);
        Assert.Equal("DELETE", Facts(entry)["operation"]);
    }

    [Fact]
    public async Task A_dry_run_records_nothing()
    {
        var request = AdmissionHarness.Create(TestModels.ChestXray());
        request.DryRun = true;

        await SendAsync(request);

        Assert.Empty(sink.Calls);
    }

    [Fact]
    public async Task An_allowed_change_that_cannot_be_recorded_is_refused()
    {
        sink.Failure = new InvalidOperationException("the audit ConfigMap cannot be written");

        var response = await SendAsync(AdmissionHarness.Create(TestModels.ChestXray()), allowed: false);

        Assert.Equal(500, response.Status!.Code);
        Assert.Contains("the audit trail could not be written", response.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_a_user_name_is_recorded_as_an_unknown_actor()
    {
        var request = AdmissionHarness.Create(TestModels.ChestXray());
        request.UserInfo = new AdmissionUser();

        await SendAsync(request);

        Assert.Equal((AdmissionAudit.UnknownActor, "ModelCreated"), (Single(TestModels.Namespace).Actor, Single(TestModels.Namespace).Action));
    }
}
