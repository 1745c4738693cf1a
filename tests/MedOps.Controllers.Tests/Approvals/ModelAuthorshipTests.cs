using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Approvals;

namespace MedOps.Controllers.Tests.Approvals;

public sealed class ModelAuthorshipTests
{
    private static readonly (string What, Action<V1Alpha1MedicalModelSpec> Change)[] VersionChanges =
    [
        ("spec.version", s => s.Version = "1.5.0"),
        ("spec.source.uri", s => s.Source.Uri = "pvc://models/chest-xray/1.5.0"),
        ("spec.source.digest", s => s.Source.Digest = TestApprovals.OtherDigest),
        ("spec.source.trainingJobRef.name", s => { s.Source.Uri = null; s.Source.TrainingJobRef = new TrainingJobReference { Name = "cxr-train-2" }; }),
    ];

    public static TheoryData<string> VersionFields() => [.. VersionChanges.Select(c => c.What)];

    [Theory]
    [MemberData(nameof(VersionFields))]
    public void A_change_of_what_the_model_serves_is_a_version_change(string field)
    {
        var change = VersionChanges.Single(c => c.What == field).Change;

        Assert.True(ModelAuthorship.VersionChanged(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(change)));
    }

    [Fact]
    public void A_change_of_one_training_job_for_another_is_a_version_change()
    {
        static void FromJob(V1Alpha1MedicalModelSpec s, string job)
        {
            s.Source.Uri = null;
            s.Source.TrainingJobRef = new TrainingJobReference { Name = job };
        }

        Assert.True(ModelAuthorship.VersionChanged(
            TestApprovals.ClinicalModel(s => FromJob(s, "cxr-train")), TestApprovals.ClinicalModel(s => FromJob(s, "cxr-train-2"))));
        Assert.False(ModelAuthorship.VersionChanged(
            TestApprovals.ClinicalModel(s => FromJob(s, "cxr-train")), TestApprovals.ClinicalModel(s => FromJob(s, "cxr-train"))));
    }

    [Fact]
    public void Other_changes_are_not_version_changes()
    {
        var changed = TestApprovals.ClinicalModel(s =>
        {
            s.Replicas = 5;
            s.Suspend = true;
            s.DataClassification = DataClassification.DeIdentified;
            s.Usage = ModelUsage.Research;
            s.Resources.Cpu = "8";
        });

        Assert.False(ModelAuthorship.VersionChanged(TestApprovals.ClinicalModel(), changed));
    }

    [Fact]
    public void An_empty_digest_is_the_same_as_none()
    {
        var none = TestApprovals.ClinicalModel(s => s.Source.Digest = null);
        var empty = TestApprovals.ClinicalModel(s => s.Source.Digest = "");

        Assert.False(ModelAuthorship.VersionChanged(none, empty));
        Assert.True(ModelAuthorship.VersionChanged(none, TestApprovals.ClinicalModel()));
    }

    [Fact]
    public void A_create_records_the_requester_as_both_whatever_the_object_says()
    {
        var forged = TestApprovals.ClinicalModel(createdBy: "mallory", versionSetBy: "mallory");

        Assert.Equal(("alice", "alice"), ModelAuthorship.Expected(TestApprovals.Attempt("alice", forged)));
    }

    [Fact]
    public void An_update_of_the_version_keeps_the_creator_and_records_the_requester()
    {
        var attempt = TestApprovals.Attempt("erin", TestApprovals.ClinicalModel(s => s.Version = "1.5.0", createdBy: "mallory", versionSetBy: "mallory"),
            TestApprovals.ClinicalModel());

        Assert.Equal((TestApprovals.Creator, "erin"), ModelAuthorship.Expected(attempt));
    }

    [Fact]
    public void An_update_of_anything_else_keeps_both_stored_authors()
    {
        var attempt = TestApprovals.Attempt("erin", TestApprovals.ClinicalModel(s => s.Replicas = 4, versionSetBy: "erin"), TestApprovals.ClinicalModel());

        Assert.Equal((TestApprovals.Creator, TestApprovals.VersionSetter), ModelAuthorship.Expected(attempt));
    }

    [Fact]
    public void A_model_stored_before_the_webhook_never_gets_a_creator_but_gets_a_version_setter_when_its_version_changes()
    {
        var legacy = TestApprovals.ClinicalModel(createdBy: null, versionSetBy: null);

        Assert.Equal((null, null), ModelAuthorship.Expected(TestApprovals.Attempt("erin", TestApprovals.ClinicalModel(s => s.Replicas = 4, null, null), legacy)));
        Assert.Equal((null, "erin"), ModelAuthorship.Expected(TestApprovals.Attempt("erin", TestApprovals.ClinicalModel(s => s.Version = "2.0.0", null, null), legacy)));
    }

    [Fact]
    public void The_readers_return_the_stored_annotations_or_null()
    {
        var model = TestApprovals.ClinicalModel();

        Assert.Equal(TestApprovals.Creator, ModelAuthorship.CreatedBy(model));
        Assert.Equal(TestApprovals.VersionSetter, ModelAuthorship.VersionSetBy(model));
        Assert.Null(ModelAuthorship.CreatedBy(TestApprovals.ClinicalModel(createdBy: null)));
        Assert.Null(ModelAuthorship.VersionSetBy(TestApprovals.ClinicalModel(versionSetBy: null)));

        var bare = TestApprovals.ClinicalModel();
        bare.Metadata.Annotations = null;
        Assert.Null(ModelAuthorship.CreatedBy(bare));
        Assert.Null(ModelAuthorship.VersionSetBy(bare));
    }

    [Fact]
    public void The_annotation_keys_are_the_documented_ones()
    {
        Assert.Equal("medops.io/created-by", ModelAuthorship.CreatedByAnnotation);
        Assert.Equal("medops.io/version-set-by", ModelAuthorship.VersionSetByAnnotation);
    }
}
