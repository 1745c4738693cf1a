using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Admission;
using MedOps.Controllers.Tests.Approvals;
using MedOps.Runtime.Admission;
using static MedOps.Controllers.Tests.Admission.AdmissionCase;

namespace MedOps.Controllers.Tests.Admission;

public sealed class ModelApprovalAdmissionTests
{
    private static AdmissionRequest ByBob(AdmissionRequest request) => AdmissionHarness.By(TestApprovals.Reviewer, request);

    private static AdmissionRequest Create(Action<V1Alpha1ModelApprovalSpec>? change = null) => ByBob(AdmissionHarness.Create(TestApprovals.Approval(change)));

    private static V1Alpha1ModelApproval Stored(Action<V1Alpha1ModelApprovalSpec>? change = null) => TestApprovals.Approval(change, TestApprovals.Reviewer);

    /// <summary>The cluster every row meets: carol's Clinical model at dave's version 1.4.0, and bob may approve.</summary>
    private static void Baseline(AdmissionHarness harness)
    {
        harness.Cluster.WithModel(TestApprovals.ClinicalModel());
        harness.Reviewer.Grant(ModelApprovalAdmission.Verb, V1Alpha1MedicalModel.KubePluralName);
    }

    private static void Without(AdmissionHarness harness) => harness.MutatingWebhook = false;

    private static readonly AdmissionCase[] Cases =
    [
        Allow("a second person's approval of the current version and digest is allowed", () => Create()),
        Allow("an approver the client names is replaced by the requester, so the approval is bob's",
            () => Create(s => s.Approver = TestApprovals.VersionSetter)),
        Forbidden("the person who set the version cannot approve it",
            () => AdmissionHarness.By(TestApprovals.VersionSetter, AdmissionHarness.Create(TestApprovals.Approval())), ["spec.approver"]),
        Forbidden("the person who created the model cannot approve it",
            () => AdmissionHarness.By(TestApprovals.Creator, AdmissionHarness.Create(TestApprovals.Approval())), ["spec.approver"]),
        Forbidden("a model whose authors are not recorded cannot be approved",
            () => Create(), ["spec.approver"], h => h.Cluster.WithModel(TestApprovals.ClinicalModel(createdBy: null, versionSetBy: null))),
        Forbidden("an approval without the approve permission is refused",
            () => Create(), ["spec.modelName"],
            h => h.Reviewer.Revoke(ModelApprovalAdmission.Verb, V1Alpha1MedicalModel.KubePluralName).Grant("update", V1Alpha1MedicalModel.KubePluralName)),
        Invalid("an approval of another version than the model's is refused", () => Create(s => s.Version = "1.3.0"), ["spec.version"]),
        Invalid("an approval of other weights than the model's is refused", () => Create(s => s.Digest = TestApprovals.OtherDigest), ["spec.digest"]),
        Invalid("an approval of a model that pins no digest is refused",
            () => Create(), ["spec.digest"], h => h.Cluster.WithModel(TestApprovals.ClinicalModel(s => s.Source.Digest = null))),
        Invalid("an approval of a model that does not exist is refused", () => Create(s => s.ModelName = "chest-ct"), ["spec.modelName"]),
        Invalid("a malformed approval names every field at fault",
            () => Create(s => { s.ModelName = "Chest_XRay"; s.Version = ""; s.Digest = "sha256:ABC"; }),
            ["spec.modelName", "spec.version", "spec.digest"]),
        Invalid("a digest with a trailing newline is refused", () => Create(s => s.Digest = TestModels.Digest + "\n"), ["spec.digest"]),
        Forbidden("without the mutating webhook an approval in another person's name is refused",
            () => Create(s => s.Approver = "carol-the-cmo"), ["spec.approver"], Without),
        Forbidden("without the mutating webhook an approval that names nobody is refused",
            () => Create(), ["spec.approver"], Without),
        Allow("without the mutating webhook an approval that names the requester is allowed",
            () => Create(s => s.Approver = TestApprovals.Reviewer), Without),
        Forbidden("a forbidden approval of the wrong version names both fields",
            () => AdmissionHarness.By(TestApprovals.VersionSetter, AdmissionHarness.Create(TestApprovals.Approval(s => s.Version = "1.3.0"))),
            ["spec.version", "spec.approver"]),
        Invalid("changing an approval's version is refused",
            () => ByBob(AdmissionHarness.Update(Stored(), Stored(s => s.Version = "1.5.0"))), ["spec.version"]),
        Invalid("changing an approval's digest and comment is refused for both",
            () => ByBob(AdmissionHarness.Update(Stored(), Stored(s => { s.Digest = TestApprovals.OtherDigest; s.Comment = "re-validated"; }))),
            ["spec.digest", "spec.comment"]),
        Invalid("without the mutating webhook changing an approval's approver is refused",
            () => ByBob(AdmissionHarness.Update(Stored(), Stored(s => s.Approver = "carol-the-cmo"))), ["spec.approver"], Without),
        Allow("a changed approver is put back by the mutating webhook, leaving a metadata-only update",
            () => ByBob(AdmissionHarness.Update(Stored(), Stored(s => s.Approver = "carol-the-cmo")))),
        Allow("a metadata-only update of an approval is allowed",
            () =>
            {
                var labelled = Stored();
                labelled.Metadata.Labels = new Dictionary<string, string> { ["ticket"] = "CHG-88" };
                return AdmissionHarness.Update(Stored(), labelled);
            }),
        Allow("deleting an approval (revoking it) is allowed", () => AdmissionHarness.Delete(Stored())),
    ];

    public static TheoryData<Rule> Rules() => Names(Cases);

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_allows_or_refuses_with_every_field_at_fault_and_its_status_code(Rule rule) =>
        await AdmissionAssert.RowAsync(Cases, rule.Description, Baseline);

    [Fact]
    public void Every_row_of_the_table_has_its_own_description() =>
        Assert.Equal(Cases.Length, Cases.Select(c => c.Description).Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public async Task The_approve_permission_is_asked_of_the_model_by_name_not_of_the_approval()
    {
        var harness = new AdmissionHarness();
        Baseline(harness);

        var response = await harness.DecideAsync(Create());

        Assert.True(response.Allowed, response.Status?.Message);
        var (user, resource) = Assert.Single(harness.Reviewer.Reviews);
        Assert.Equal(TestApprovals.Reviewer, user.Username);
        Assert.Equal(new ResourceAttributes("approve", "medops.io", "medicalmodels", TestModels.Namespace, TestModels.Name), resource);
        Assert.Equal([$"{TestModels.Namespace}/{TestModels.Name}"], harness.Cluster.ModelLookups);
    }

    [Fact]
    public async Task Self_approval_says_who_set_the_version_and_that_a_second_person_must()
    {
        var harness = new AdmissionHarness();
        Baseline(harness);

        var response = await harness.DecideAsync(AdmissionHarness.By(TestApprovals.VersionSetter, AdmissionHarness.Create(TestApprovals.Approval())));

        var cause = Assert.Single(response.Status!.Details!.Causes);
        Assert.Equal(("spec.approver", "FieldValueForbidden"), (cause.Field, cause.Reason));
        Assert.Equal("dave set version 1.4.0 of model chest-xray and cannot approve it: a second person must", cause.Message);
    }

    [Fact]
    public async Task A_missing_permission_names_the_verb_and_the_role_to_bind()
    {
        var harness = new AdmissionHarness();
        harness.Cluster.WithModel(TestApprovals.ClinicalModel());

        var response = await harness.DecideAsync(Create());

        Assert.Equal(403, response.Status!.Code);
        var message = Assert.Single(response.Status.Details!.Causes).Message;
        Assert.Contains("needs the \"approve\" permission on medicalmodels.medops.io, which bob does not have", message, StringComparison.Ordinal);
        Assert.Contains("medops-approver", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mismatch_says_what_the_model_has_now()
    {
        var harness = new AdmissionHarness();
        Baseline(harness);

        var response = await harness.DecideAsync(Create(s => { s.Version = "1.3.0"; s.Digest = TestApprovals.OtherDigest; }));

        var causes = response.Status!.Details!.Causes;
        Assert.Contains("is at version \"1.4.0\", not \"1.3.0\"", causes[0].Message, StringComparison.Ordinal);
        Assert.Contains($"pins the weights {TestModels.Digest}, not {TestApprovals.OtherDigest}", causes[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_authorship_says_how_to_record_it()
    {
        var harness = new AdmissionHarness();
        Baseline(harness);
        harness.Cluster.WithModel(TestApprovals.ClinicalModel(createdBy: null, versionSetBy: null));

        var response = await harness.DecideAsync(Create());

        Assert.Equal(
            "the model's author is not recorded (it was stored without the MedOps webhook): change its version, source or digest through the MedOps webhook to record who set it",
            Assert.Single(response.Status!.Details!.Causes).Message);
    }

    [Fact]
    public async Task A_changed_approval_says_to_delete_it_and_create_a_new_one()
    {
        var harness = new AdmissionHarness();

        var response = await harness.DecideAsync(ByBob(AdmissionHarness.Update(Stored(), Stored(s => s.Version = "1.5.0"))));

        Assert.Equal(
            "cannot be changed: approvals are immutable: delete this approval (which revokes it) and create a new one",
            Assert.Single(response.Status!.Details!.Causes).Message);
        Assert.Empty(harness.Reviewer.Reviews);
        Assert.Empty(harness.Cluster.ModelLookups);
    }

    [Fact]
    public async Task A_forged_approver_without_the_mutating_webhook_says_who_asks()
    {
        var harness = new AdmissionHarness { MutatingWebhook = false };
        Baseline(harness);

        var response = await harness.DecideAsync(Create(s => s.Approver = "carol-the-cmo"));

        var message = Assert.Single(response.Status!.Details!.Causes).Message;
        Assert.StartsWith("is set by MedOps from the authenticated user, so it must be \"bob\" (who asks), not \"carol-the-cmo\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_approver_without_the_mutating_webhook_says_that_it_did_not_run()
    {
        var harness = new AdmissionHarness { MutatingWebhook = false };
        Baseline(harness);

        var response = await harness.DecideAsync(Create());

        var message = Assert.Single(response.Status!.Details!.Causes).Message;
        Assert.Contains("the MedOps mutating webhook did not run", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_model_name_looks_nothing_up()
    {
        var harness = new AdmissionHarness();
        Baseline(harness);

        await harness.DecideAsync(Create(s => s.ModelName = "Chest_XRay"));

        Assert.Empty(harness.Cluster.ModelLookups);
        Assert.Empty(harness.Reviewer.Reviews);
    }
}
