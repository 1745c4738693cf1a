using MedOps.Controllers.Approvals;

namespace MedOps.Controllers.Tests.Approvals;

public sealed class ApprovalRulesTests
{
    [Fact]
    public void An_approval_of_the_current_version_and_digest_covers_the_model() =>
        Assert.True(ApprovalRules.Covers(TestApprovals.Approval(approver: TestApprovals.Reviewer), TestApprovals.ClinicalModel()));

    public static TheoryData<string> Mismatches() =>
        ["another namespace", "another model", "another version", "another digest", "a version that differs in case", "a model without a digest"];

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void An_approval_of_anything_else_covers_nothing(string mismatch)
    {
        var approval = TestApprovals.Approval(approver: TestApprovals.Reviewer);
        var model = TestApprovals.ClinicalModel();
        switch (mismatch)
        {
            case "another namespace":
                approval.Metadata.NamespaceProperty = "cardiology";
                break;
            case "another model":
                approval.Spec.ModelName = "chest-ct";
                break;
            case "another version":
                model.Spec.Version = "1.5.0";
                break;
            case "another digest":
                model.Spec.Source.Digest = TestApprovals.OtherDigest;
                break;
            case "a version that differs in case":
                approval.Spec.Version = "1.4.0-RC1";
                model.Spec.Version = "1.4.0-rc1";
                break;
            case "a model without a digest":
                model.Spec.Source.Digest = null;
                approval.Spec.Digest = "";
                break;
            default:
                throw new ArgumentException(mismatch);
        }

        Assert.False(ApprovalRules.Covers(approval, model));
    }

    [Fact]
    public void A_second_person_is_independent() =>
        Assert.Null(ApprovalRules.IndependenceProblem(TestApprovals.Reviewer, TestApprovals.ClinicalModel()));

    [Fact]
    public void The_person_who_set_the_version_cannot_approve_it() =>
        Assert.Equal(
            "dave set version 1.4.0 of model chest-xray and cannot approve it: a second person must",
            ApprovalRules.IndependenceProblem(TestApprovals.VersionSetter, TestApprovals.ClinicalModel()));

    [Fact]
    public void The_person_who_created_the_model_cannot_approve_its_versions()
    {
        var problem = ApprovalRules.IndependenceProblem(TestApprovals.Creator, TestApprovals.ClinicalModel());

        Assert.NotNull(problem);
        Assert.StartsWith("carol created model chest-xray", problem, StringComparison.Ordinal);
        Assert.EndsWith("a second person must", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_creator_who_also_set_the_version_is_refused()
    {
        var model = TestApprovals.ClinicalModel(createdBy: "carol", versionSetBy: "carol");

        Assert.NotNull(ApprovalRules.IndependenceProblem("carol", model));
        Assert.Null(ApprovalRules.IndependenceProblem(TestApprovals.Reviewer, model));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_unknown_approver_is_refused(string? approver)
    {
        var problem = ApprovalRules.IndependenceProblem(approver, TestApprovals.ClinicalModel());

        Assert.NotNull(problem);
        Assert.Contains("approver", problem, StringComparison.Ordinal);
        Assert.Contains("not known", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_model_whose_version_setter_is_not_recorded_cannot_be_approved(string? versionSetBy)
    {
        var model = TestApprovals.ClinicalModel(createdBy: null, versionSetBy: null);
        if (versionSetBy is not null)
        {
            model.Metadata.Annotations[ModelAuthorship.VersionSetByAnnotation] = versionSetBy;
        }

        Assert.Equal(
            "the model's author is not recorded (it was stored without the MedOps webhook): change its version, source or digest through the MedOps webhook to record who set it",
            ApprovalRules.IndependenceProblem(TestApprovals.Reviewer, model));
    }

    [Fact]
    public void A_model_stored_before_the_webhook_can_be_approved_once_its_version_setter_is_recorded()
    {
        var model = TestApprovals.ClinicalModel(createdBy: null, versionSetBy: "erin");

        Assert.Null(ApprovalRules.IndependenceProblem(TestApprovals.Reviewer, model));
        Assert.NotNull(ApprovalRules.IndependenceProblem("erin", model));
    }

    [Fact]
    public void Names_are_compared_exactly() =>
        // Kubernetes user names are case-sensitive: "Dave" is another user than "dave".
        Assert.Null(ApprovalRules.IndependenceProblem("Dave", TestApprovals.ClinicalModel()));
}
