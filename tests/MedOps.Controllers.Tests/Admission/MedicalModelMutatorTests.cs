using System.Text.Json;
using System.Text.Json.Nodes;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Approvals;
using MedOps.Controllers.Tests.Approvals;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Tests.Admission;

public sealed class MedicalModelMutatorTests
{
    private const string CreatedBy = "medops.io/created-by";
    private const string VersionSetBy = "medops.io/version-set-by";

    /// <summary>The mutating webhook's answer, and the object's annotations once its patch is applied.</summary>
    private static async Task<(AdmissionResponse Response, List<JsonPatchOperation> Operations, JsonObject? Annotations)> MutateAsync(AdmissionRequest request)
    {
        var response = await new AdmissionHarness().Dispatcher().MutateAsync(request, CancellationToken.None);
        Assert.True(response.Allowed, response.Status?.Message);
        if (response.Patch is null)
        {
            Assert.Null(response.PatchType);
            return (response, [], Annotations(request.Object!.Value));
        }
        Assert.Equal("JSONPatch", response.PatchType);
        var operations = JsonSerializer.Deserialize<List<JsonPatchOperation>>(Convert.FromBase64String(response.Patch))!;
        return (response, operations, Annotations(JsonPatch.Apply(request.Object!.Value, response.Patch)));
    }

    private static JsonObject? Annotations(JsonElement obj) => JsonNode.Parse(obj.GetRawText())!["metadata"]!["annotations"]?.AsObject();

    [Fact]
    public async Task A_create_without_annotations_gets_the_whole_map()
    {
        var model = TestModels.ChestXray();
        model.Metadata.Annotations = null;

        var (_, operations, annotations) = await MutateAsync(AdmissionHarness.Create(model));

        var operation = Assert.Single(operations);
        Assert.Equal(("add", "/metadata/annotations"), (operation.Op, operation.Path));
        Assert.Equal("""{"medops.io/created-by":"alice","medops.io/version-set-by":"alice"}""", annotations!.ToJsonString());
    }

    [Fact]
    public async Task A_create_with_annotations_gets_each_key_and_keeps_the_others()
    {
        var (_, operations, annotations) = await MutateAsync(AdmissionHarness.Create(TestModels.ChestXray()));

        Assert.Equal(
            [("add", "/metadata/annotations/medops.io~1created-by"), ("add", "/metadata/annotations/medops.io~1version-set-by")],
            operations.Select(o => (o.Op, o.Path)));
        Assert.Equal("alice", (string?)annotations![CreatedBy]);
        Assert.Equal("alice", (string?)annotations[VersionSetBy]);
        Assert.Equal("dr.smith@hospital.example", (string?)annotations["owner"]);
        Assert.Equal(4, annotations.Count);
    }

    [Fact]
    public async Task Authors_a_client_sends_on_create_are_replaced_by_the_requester()
    {
        var forged = TestApprovals.ClinicalModel(createdBy: "mallory", versionSetBy: "mallory");

        var (_, operations, annotations) = await MutateAsync(AdmissionHarness.Create(forged));

        Assert.All(operations, o => Assert.Equal("replace", o.Op));
        Assert.Equal("alice", (string?)annotations![CreatedBy]);
        Assert.Equal("alice", (string?)annotations[VersionSetBy]);
    }

    [Fact]
    public async Task A_version_change_records_the_requester_and_keeps_the_creator()
    {
        var request = AdmissionHarness.Update(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(s => s.Version = "1.5.0"));

        var (_, operations, annotations) = await MutateAsync(request);

        var operation = Assert.Single(operations);
        Assert.Equal(("replace", "/metadata/annotations/medops.io~1version-set-by"), (operation.Op, operation.Path));
        Assert.Equal(TestApprovals.Creator, (string?)annotations![CreatedBy]);
        Assert.Equal("alice", (string?)annotations[VersionSetBy]);
    }

    [Fact]
    public async Task An_update_that_drops_the_annotations_gets_the_stored_ones_back()
    {
        var next = TestApprovals.ClinicalModel(s => s.Replicas = 4);
        next.Metadata.Annotations = null;

        var (_, _, annotations) = await MutateAsync(AdmissionHarness.Update(TestApprovals.ClinicalModel(), next));

        Assert.Equal($$"""{"{{CreatedBy}}":"carol","{{VersionSetBy}}":"dave"}""", annotations!.ToJsonString());
    }

    [Fact]
    public async Task An_author_changed_by_hand_without_a_version_change_is_put_back()
    {
        var request = AdmissionHarness.Update(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(s => s.Replicas = 4, versionSetBy: "alice"));

        var (_, _, annotations) = await MutateAsync(request);

        Assert.Equal(TestApprovals.VersionSetter, (string?)annotations![VersionSetBy]);
        Assert.Equal(TestApprovals.Creator, (string?)annotations[CreatedBy]);
    }

    [Fact]
    public async Task A_creator_invented_for_a_model_stored_before_the_webhook_is_removed()
    {
        var legacy = TestApprovals.ClinicalModel(createdBy: null, versionSetBy: null);
        var invented = TestApprovals.ClinicalModel(s => s.Version = "1.5.0", createdBy: "alice", versionSetBy: null);

        var (_, operations, annotations) = await MutateAsync(AdmissionHarness.Update(legacy, invented));

        Assert.Equal(
            [("remove", "/metadata/annotations/medops.io~1created-by"), ("add", "/metadata/annotations/medops.io~1version-set-by")],
            operations.Select(o => (o.Op, o.Path)));
        Assert.False(annotations!.ContainsKey(CreatedBy));
        Assert.Equal("alice", (string?)annotations[VersionSetBy]);
    }

    [Fact]
    public async Task A_model_whose_authors_are_right_is_not_patched()
    {
        var (response, operations, _) = await MutateAsync(AdmissionHarness.Update(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(s => s.Replicas = 4)));

        Assert.Null(response.Patch);
        Assert.Empty(operations);
    }

    [Fact]
    public async Task An_update_of_a_model_stored_before_the_webhook_that_keeps_its_version_adds_nothing()
    {
        var legacy = TestModels.ChestXray();
        legacy.Metadata.Annotations = null;
        var next = TestModels.ChestXray(s => s.Replicas = 4);
        next.Metadata.Annotations = null;

        var (response, _, annotations) = await MutateAsync(AdmissionHarness.Update(legacy, next));

        Assert.Null(response.Patch);
        Assert.Null(annotations);
    }

    [Fact]
    public async Task A_delete_is_not_mutated()
    {
        var response = await new AdmissionHarness().Dispatcher().MutateAsync(AdmissionHarness.Delete(TestModels.ChestXray()), CancellationToken.None);

        Assert.True(response.Allowed);
        Assert.Null(response.Patch);
    }

    [Fact]
    public void Both_mutators_are_served() =>
        Assert.Equal(
            [(V1Alpha1MedicalModel.KubeKind, "medops.io"), (V1Alpha1ModelApproval.KubeKind, "medops.io")],
            Controllers.Admission.MedOpsAdmission.Mutators().Select(m => (m.Kind, m.Group)));

    [Fact]
    public void The_keys_are_those_of_ModelAuthorship()
    {
        Assert.Equal(ModelAuthorship.CreatedByAnnotation, CreatedBy);
        Assert.Equal(ModelAuthorship.VersionSetByAnnotation, VersionSetBy);
    }
}
