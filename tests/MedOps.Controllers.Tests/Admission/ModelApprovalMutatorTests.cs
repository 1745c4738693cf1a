using System.Text.Json.Nodes;
using MedOps.Controllers.Tests.Approvals;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Tests.Admission;

public sealed class ModelApprovalMutatorTests
{
    /// <summary>The mutating webhook's answer and the object's spec once its patch is applied.</summary>
    private static async Task<(AdmissionResponse Response, JsonObject Spec)> MutateAsync(AdmissionRequest request)
    {
        var response = await new AdmissionHarness().Dispatcher().MutateAsync(request, CancellationToken.None);
        Assert.True(response.Allowed, response.Status?.Message);
        var obj = response.Patch is null ? request.Object!.Value : JsonPatch.Apply(request.Object!.Value, response.Patch);
        return (response, JsonNode.Parse(obj.GetRawText())!["spec"]!.AsObject());
    }

    [Fact]
    public async Task A_create_without_an_approver_names_the_requester()
    {
        var (response, spec) = await MutateAsync(AdmissionHarness.By(TestApprovals.Reviewer, AdmissionHarness.Create(TestApprovals.Approval())));

        Assert.Equal("JSONPatch", response.PatchType);
        Assert.Equal(TestApprovals.Reviewer, (string?)spec["approver"]);
        Assert.Equal("1.4.0", (string?)spec["version"]);
    }

    [Fact]
    public async Task An_approver_the_client_sends_is_replaced_by_the_requester()
    {
        var forged = TestApprovals.Approval(approver: TestApprovals.Reviewer);

        var (_, spec) = await MutateAsync(AdmissionHarness.By(TestApprovals.VersionSetter, AdmissionHarness.Create(forged)));

        Assert.Equal(TestApprovals.VersionSetter, (string?)spec["approver"]);
    }

    [Fact]
    public async Task An_approver_that_is_already_the_requester_is_not_patched()
    {
        var (response, spec) = await MutateAsync(AdmissionHarness.By(TestApprovals.Reviewer,
            AdmissionHarness.Create(TestApprovals.Approval(approver: TestApprovals.Reviewer))));

        Assert.Null(response.Patch);
        Assert.Equal(TestApprovals.Reviewer, (string?)spec["approver"]);
    }

    [Fact]
    public async Task An_update_gets_the_stored_approver_back_whoever_sends_it()
    {
        var stored = TestApprovals.Approval(approver: TestApprovals.Reviewer);
        var changed = TestApprovals.Approval(approver: "mallory");
        changed.Metadata.Labels = new Dictionary<string, string> { ["reviewed"] = "true" };

        var (_, spec) = await MutateAsync(AdmissionHarness.By("mallory", AdmissionHarness.Update(stored, changed)));

        Assert.Equal(TestApprovals.Reviewer, (string?)spec["approver"]);
    }

    [Fact]
    public async Task An_update_that_drops_the_approver_gets_it_back()
    {
        var (_, spec) = await MutateAsync(AdmissionHarness.Update(TestApprovals.Approval(approver: TestApprovals.Reviewer), TestApprovals.Approval()));

        Assert.Equal(TestApprovals.Reviewer, (string?)spec["approver"]);
    }

    [Fact]
    public async Task A_create_without_a_spec_gets_one_with_the_approver()
    {
        var request = AdmissionHarness.By(TestApprovals.Reviewer, AdmissionHarness.Create(TestApprovals.Approval()));
        var json = JsonNode.Parse(request.Object!.Value.GetRawText())!.AsObject();
        json.Remove("spec");
        request.Object = AdmissionHarness.Element(json);

        var (_, spec) = await MutateAsync(request);

        Assert.Equal($$"""{"approver":"{{TestApprovals.Reviewer}}"}""", spec.ToJsonString());
    }
}
