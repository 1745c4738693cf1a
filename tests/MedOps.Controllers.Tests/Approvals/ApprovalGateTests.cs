using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Approvals;
using MedOps.Controllers.MedicalModels;

namespace MedOps.Controllers.Tests.Approvals;

/// <summary>
/// A Clinical chest X-ray model that carol created and dave moved to version 1.4.0, its next
/// version 1.5.0, and approvals of either: bob is the independent second person. Shared by the
/// gate's tests and the reconciler's approval tests.
/// </summary>
internal static class GateFixtures
{
    public const string Creator = TestApprovals.Creator;
    public const string VersionSetter = TestApprovals.VersionSetter;
    public const string Reviewer = TestApprovals.Reviewer;
    public const string Name140 = TestApprovals.Name;
    public const string Name150 = "chest-xray-1-5-0";
    public const string NextDigest = TestApprovals.OtherDigest;

    public static readonly DateTime Created = new(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>The Clinical model at 1.4.0, pinned by <see cref="TestModels.Digest"/>, with both authorship annotations.</summary>
    public static V1Alpha1MedicalModel Clinical(Action<V1Alpha1MedicalModelSpec>? change = null, string? createdBy = Creator, string? versionSetBy = VersionSetter) =>
        TestApprovals.ClinicalModel(change, createdBy, versionSetBy);

    /// <summary>Moves <paramref name="model"/> to version 1.5.0 and its new weights.</summary>
    public static void MoveTo150(V1Alpha1MedicalModel model)
    {
        model.Spec.Version = "1.5.0";
        model.Spec.Source.Uri = "pvc://models/chest-xray/1.5.0";
        model.Spec.Source.Digest = NextDigest;
        model.Metadata.Generation = (model.Metadata.Generation ?? 0) + 1;
    }

    /// <summary>An approval of version 1.4.0 with <see cref="TestModels.Digest"/>, as stored (the webhook set the approver).</summary>
    public static V1Alpha1ModelApproval Approval(string approver = Reviewer, string name = Name140, Action<V1Alpha1ModelApprovalSpec>? change = null,
        DateTime? created = null, string ns = TestModels.Namespace)
    {
        var approval = TestApprovals.Approval(change, approver);
        approval.Metadata.Name = name;
        approval.Metadata.NamespaceProperty = ns;
        approval.Metadata.Uid = name + "-uid";
        approval.Metadata.CreationTimestamp = created ?? Created;
        return approval;
    }

    /// <summary>An approval of version 1.5.0 with <see cref="NextDigest"/>.</summary>
    public static V1Alpha1ModelApproval Approval150(string approver = Reviewer) =>
        Approval(approver, Name150, s => (s.Version, s.Digest) = ("1.5.0", NextDigest), Created.AddDays(1));

    /// <summary>The status of a model whose 1.4.0 serves on <see cref="Name140"/> by bob.</summary>
    public static ModelApprovalStatus Approved140(string approval = Name140) => new()
    {
        State = ModelApprovalState.Approved,
        Approved = new ApprovedModelVersion { Version = "1.4.0", Digest = TestModels.Digest, Approval = approval, Approver = Reviewer },
    };
}

/// <summary>
/// <see cref="ApprovalGate.Decide"/>: the two-person rule of Clinical models, the last approved
/// version serving while the next one waits, and revocation by deleting an approval.
/// </summary>
public sealed class ApprovalGateTests
{
    private static V1Alpha1MedicalModel WithApproval(V1Alpha1MedicalModel model, ModelApprovalStatus approval)
    {
        model.Status = new V1Alpha1MedicalModelStatus { Approval = approval };
        return model;
    }

    private static void AssertVersion(ApprovedModelVersion? actual, string version, string digest, string? approval = null, string? approver = null)
    {
        Assert.NotNull(actual);
        Assert.Equal((version, digest, approval, approver), (actual.Version, actual.Digest, actual.Approval, actual.Approver));
    }

    [Fact]
    public void An_approval_made_before_the_model_was_created_does_not_cover_a_model_created_again_under_its_name()
    {
        var recreated = GateFixtures.Clinical();
        recreated.Metadata.CreationTimestamp = GateFixtures.Created.AddHours(1);

        var decision = ApprovalGate.Decide(recreated, [GateFixtures.Approval()]);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(ModelApprovalState.AwaitingApproval, decision.Status!.State);
        Assert.Contains($"ModelApproval {GateFixtures.Name140} does not count: it was made before this model was created", decision.Message, StringComparison.Ordinal);

        // An approval made after the model was created covers it.
        var later = ApprovalGate.Decide(recreated, [GateFixtures.Approval(name: "again", created: GateFixtures.Created.AddHours(2))]);
        Assert.Equal(ApprovalAction.Apply, later.Action);
        Assert.Equal("again", later.Status!.Approved!.Approval);
    }

    [Fact]
    public void A_research_model_serves_whatever_its_approvals_are_and_has_no_approval_status()
    {
        var research = TestModels.ChestXray(s => s.Source.Digest = TestModels.Digest);
        Assert.Equal(ModelUsage.Research, research.Spec.Usage);

        V1Alpha1ModelApproval[][] cases = [[], [GateFixtures.Approval(GateFixtures.Creator)], [GateFixtures.Approval()]];
        foreach (var approvals in cases)
        {
            var decision = ApprovalGate.Decide(research, approvals);

            Assert.Equal(ApprovalAction.Apply, decision.Action);
            Assert.Null(decision.Status);
            Assert.Null(decision.Reason);
        }
    }

    [Fact]
    public void A_research_model_with_an_approval_status_left_from_clinical_use_is_not_held()
    {
        var research = WithApproval(TestModels.ChestXray(), new ModelApprovalStatus { State = ModelApprovalState.Revoked });

        var decision = ApprovalGate.Decide(research, []);

        Assert.Equal(ApprovalAction.Apply, decision.Action);
        Assert.Null(decision.Status);
    }

    [Fact]
    public void A_clinical_model_without_approval_is_held_awaiting_approval_with_its_version_pending()
    {
        var decision = ApprovalGate.Decide(GateFixtures.Clinical(), []);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(MedicalModelReasons.AwaitingApproval, decision.Reason);
        Assert.Equal(ModelApprovalState.AwaitingApproval, decision.Status!.State);
        Assert.Null(decision.Status.Approved);
        AssertVersion(decision.Status.Pending, "1.4.0", TestModels.Digest);
        Assert.Equal(
            $"not serving until approved: version 1.4.0 ({TestModels.Digest}) waits for a ModelApproval by a second person",
            decision.Message);
    }

    [Fact]
    public void An_approval_by_a_second_person_serves_the_version_naming_the_approval_and_the_approver()
    {
        var decision = ApprovalGate.Decide(GateFixtures.Clinical(), [GateFixtures.Approval()]);

        Assert.Equal(ApprovalAction.Apply, decision.Action);
        Assert.Null(decision.Reason);
        Assert.Equal(ModelApprovalState.Approved, decision.Status!.State);
        AssertVersion(decision.Status.Approved, "1.4.0", TestModels.Digest, GateFixtures.Name140, GateFixtures.Reviewer);
        Assert.Null(decision.Status.Pending);
    }

    [Theory]
    [InlineData(GateFixtures.Creator, "carol created model chest-xray and cannot approve its versions: a second person must")]
    [InlineData(GateFixtures.VersionSetter, "dave set version 1.4.0 of model chest-xray and cannot approve it: a second person must")]
    public void An_approval_by_the_creator_or_by_who_set_the_version_does_not_count_and_the_message_says_why(string approver, string why)
    {
        var decision = ApprovalGate.Decide(GateFixtures.Clinical(), [GateFixtures.Approval(approver)]);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(ModelApprovalState.AwaitingApproval, decision.Status!.State);
        Assert.Null(decision.Status.Approved);
        Assert.Equal(MedicalModelReasons.AwaitingApproval, decision.Reason);
        Assert.EndsWith($"; ModelApproval {GateFixtures.Name140} does not count: {why}", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_created_and_versioned_by_the_same_person_is_approved_by_anyone_else()
    {
        var model = GateFixtures.Clinical(createdBy: GateFixtures.Creator, versionSetBy: GateFixtures.Creator);

        Assert.Equal(ApprovalAction.Hold, ApprovalGate.Decide(model, [GateFixtures.Approval(GateFixtures.Creator)]).Action);
        Assert.Equal(ApprovalAction.Apply, ApprovalGate.Decide(model, [GateFixtures.Approval(GateFixtures.VersionSetter)]).Action);
    }

    [Fact]
    public void An_approval_without_an_approver_does_not_count()
    {
        var approval = GateFixtures.Approval();
        approval.Spec.Approver = null;

        var decision = ApprovalGate.Decide(GateFixtures.Clinical(), [approval]);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Contains("does not count: the approver of version 1.4.0 of model chest-xray is not known", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_whose_version_setter_is_not_recorded_cannot_be_approved()
    {
        var model = GateFixtures.Clinical(createdBy: null, versionSetBy: null);

        var decision = ApprovalGate.Decide(model, [GateFixtures.Approval()]);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Contains("does not count: the model's author is not recorded", decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.3.0", TestModels.Digest)]
    [InlineData("1.4.0", GateFixtures.NextDigest)]
    [InlineData("1.4", TestModels.Digest)]
    public void An_approval_of_another_version_or_other_weights_does_not_cover_the_model(string version, string digest)
    {
        var approval = GateFixtures.Approval(change: s => (s.Version, s.Digest) = (version, digest));

        var decision = ApprovalGate.Decide(GateFixtures.Clinical(), [approval]);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(ModelApprovalState.AwaitingApproval, decision.Status!.State);
        // It does not cover the version at all, so it is not named as a self-made approval either.
        Assert.DoesNotContain("does not count", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_approval_of_another_model_or_in_another_namespace_is_ignored()
    {
        var otherModel = GateFixtures.Approval(change: s => s.ModelName = "chest-xray-v2");
        var otherNamespace = GateFixtures.Approval(ns: "cardiology");

        var decision = ApprovalGate.Decide(GateFixtures.Clinical(), [otherModel, otherNamespace]);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(ModelApprovalState.AwaitingApproval, decision.Status!.State);
    }

    [Fact]
    public void A_clinical_model_without_a_digest_is_covered_by_nothing()
    {
        var model = GateFixtures.Clinical(s => s.Source.Digest = null);

        var decision = ApprovalGate.Decide(model, [GateFixtures.Approval()]);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(ModelApprovalState.AwaitingApproval, decision.Status!.State);
    }

    [Fact]
    public void A_new_version_waiting_for_approval_keeps_the_approved_one_serving_untouched()
    {
        var model = WithApproval(GateFixtures.Clinical(), GateFixtures.Approved140());
        GateFixtures.MoveTo150(model);

        var decision = ApprovalGate.Decide(model, [GateFixtures.Approval()]);

        Assert.Equal(ApprovalAction.Keep, decision.Action);
        Assert.Equal(MedicalModelReasons.AwaitingApproval, decision.Reason);
        Assert.Equal(ModelApprovalState.AwaitingApproval, decision.Status!.State);
        AssertVersion(decision.Status.Approved, "1.4.0", TestModels.Digest, GateFixtures.Name140, GateFixtures.Reviewer);
        AssertVersion(decision.Status.Pending, "1.5.0", GateFixtures.NextDigest);
        Assert.Equal(
            $"version 1.4.0 (approved by bob) keeps serving; version 1.5.0 ({GateFixtures.NextDigest}) waits for a ModelApproval by a second person",
            decision.Message);
    }

    [Fact]
    public void Keeping_goes_on_over_later_reconciles_and_says_why_a_self_made_approval_of_the_new_version_does_not_count()
    {
        var model = GateFixtures.Clinical();
        GateFixtures.MoveTo150(model);
        // The second reconcile after the version change: the status already says Keep.
        WithApproval(model, new ModelApprovalStatus
        {
            State = ModelApprovalState.AwaitingApproval,
            Approved = GateFixtures.Approved140().Approved,
            Pending = new ApprovedModelVersion { Version = "1.5.0", Digest = GateFixtures.NextDigest },
        });

        var decision = ApprovalGate.Decide(model, [GateFixtures.Approval(), GateFixtures.Approval150(GateFixtures.VersionSetter)]);

        Assert.Equal(ApprovalAction.Keep, decision.Action);
        Assert.Equal(GateFixtures.Name140, decision.Status!.Approved!.Approval);
        Assert.Contains($"ModelApproval {GateFixtures.Name150} does not count: dave set version 1.5.0", decision.Message, StringComparison.Ordinal);
        Assert.False(decision.Changes(model.Status!.Approval));
    }

    [Fact]
    public void The_new_version_approved_by_a_second_person_replaces_the_old_one()
    {
        var model = WithApproval(GateFixtures.Clinical(), GateFixtures.Approved140());
        GateFixtures.MoveTo150(model);

        var decision = ApprovalGate.Decide(model, [GateFixtures.Approval(), GateFixtures.Approval150()]);

        Assert.Equal(ApprovalAction.Apply, decision.Action);
        AssertVersion(decision.Status!.Approved, "1.5.0", GateFixtures.NextDigest, GateFixtures.Name150, GateFixtures.Reviewer);
        Assert.True(decision.Changes(model.Status!.Approval));
    }

    [Fact]
    public void Deleting_the_old_approval_while_the_new_version_waits_revokes_and_holds()
    {
        var model = WithApproval(GateFixtures.Clinical(), GateFixtures.Approved140());
        GateFixtures.MoveTo150(model);

        var decision = ApprovalGate.Decide(model, []);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(MedicalModelReasons.ApprovalRevoked, decision.Reason);
        Assert.Equal(ModelApprovalState.Revoked, decision.Status!.State);
        Assert.Null(decision.Status.Approved);
        AssertVersion(decision.Status.Pending, "1.5.0", GateFixtures.NextDigest);
        Assert.StartsWith($"ModelApproval {GateFixtures.Name140} of version 1.4.0 was deleted: scaled to zero; version 1.5.0", decision.Message, StringComparison.Ordinal);
        Assert.True(decision.Changes(model.Status!.Approval));
    }

    [Fact]
    public void Deleting_the_approval_of_the_version_serving_revokes_and_holds()
    {
        var model = WithApproval(GateFixtures.Clinical(), GateFixtures.Approved140());

        var decision = ApprovalGate.Decide(model, []);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(MedicalModelReasons.ApprovalRevoked, decision.Reason);
        Assert.Equal(ModelApprovalState.Revoked, decision.Status!.State);
        Assert.Null(decision.Status.Approved);
        AssertVersion(decision.Status.Pending, "1.4.0", TestModels.Digest);
        Assert.Contains($"ModelApproval {GateFixtures.Name140} of version 1.4.0 was deleted", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_approval_recreated_under_the_same_name_for_other_weights_does_not_keep_the_old_version_serving()
    {
        var model = WithApproval(GateFixtures.Clinical(), GateFixtures.Approved140());
        GateFixtures.MoveTo150(model);
        // Same name as the approval the status names, but for other weights.
        var recreated = GateFixtures.Approval(change: s => s.Digest = "sha256:" + new string('a', 64));

        var decision = ApprovalGate.Decide(model, [recreated]);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(ModelApprovalState.Revoked, decision.Status!.State);
    }

    [Fact]
    public void Replacing_a_deleted_approval_by_a_self_made_one_still_revokes()
    {
        var model = WithApproval(GateFixtures.Clinical(), GateFixtures.Approved140());

        var decision = ApprovalGate.Decide(model, [GateFixtures.Approval(GateFixtures.Creator, name: "by-carol")]);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(ModelApprovalState.Revoked, decision.Status!.State);
        Assert.Contains("ModelApproval by-carol does not count: carol created model chest-xray", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoked_stays_revoked_without_change_until_a_version_is_approved()
    {
        var revoked = new ModelApprovalStatus
        {
            State = ModelApprovalState.Revoked,
            Pending = new ApprovedModelVersion { Version = "1.4.0", Digest = TestModels.Digest },
        };
        var model = WithApproval(GateFixtures.Clinical(), revoked);

        var decision = ApprovalGate.Decide(model, []);

        Assert.Equal(ApprovalAction.Hold, decision.Action);
        Assert.Equal(ModelApprovalState.Revoked, decision.Status!.State);
        Assert.Equal(MedicalModelReasons.ApprovalRevoked, decision.Reason);
        Assert.StartsWith("the serving version's approval was deleted: scaled to zero; ", decision.Message, StringComparison.Ordinal);
        Assert.False(decision.Changes(revoked));
    }

    [Fact]
    public void After_a_revocation_a_new_approval_serves_again()
    {
        var revoked = new ModelApprovalStatus
        {
            State = ModelApprovalState.Revoked,
            Pending = new ApprovedModelVersion { Version = "1.4.0", Digest = TestModels.Digest },
        };
        var model = WithApproval(GateFixtures.Clinical(), revoked);

        var decision = ApprovalGate.Decide(model, [GateFixtures.Approval(name: "again")]);

        Assert.Equal(ApprovalAction.Apply, decision.Action);
        Assert.Equal(ModelApprovalState.Approved, decision.Status!.State);
        AssertVersion(decision.Status.Approved, "1.4.0", TestModels.Digest, "again", GateFixtures.Reviewer);
        Assert.True(decision.Changes(revoked));
    }

    [Fact]
    public void Of_several_covering_approvals_the_one_the_status_names_is_kept_else_the_oldest()
    {
        var older = GateFixtures.Approval("erin", "by-erin", created: GateFixtures.Created);
        var newer = GateFixtures.Approval(GateFixtures.Reviewer, "by-bob", created: GateFixtures.Created.AddHours(1));

        var fresh = ApprovalGate.Decide(GateFixtures.Clinical(), [newer, older]);
        var named = ApprovalGate.Decide(WithApproval(GateFixtures.Clinical(), GateFixtures.Approved140("by-bob")), [older, newer]);

        Assert.Equal("by-erin", fresh.Status!.Approved!.Approval);
        Assert.Equal("erin", fresh.Status.Approved.Approver);
        Assert.Equal("by-bob", named.Status!.Approved!.Approval);
        Assert.Equal(GateFixtures.Reviewer, named.Status.Approved.Approver);
    }

    [Fact]
    public void Approvals_created_at_the_same_time_are_ordered_by_name()
    {
        var b = GateFixtures.Approval(name: "b");
        var a = GateFixtures.Approval(name: "a");

        Assert.Equal("a", ApprovalGate.Decide(GateFixtures.Clinical(), [b, a]).Status!.Approved!.Approval);
    }

    [Fact]
    public void An_older_self_made_approval_is_passed_over_for_an_independent_one()
    {
        var selfMade = GateFixtures.Approval(GateFixtures.VersionSetter, "by-dave", created: GateFixtures.Created);
        var independent = GateFixtures.Approval(GateFixtures.Reviewer, "by-bob", created: GateFixtures.Created.AddHours(1));

        var decision = ApprovalGate.Decide(GateFixtures.Clinical(), [selfMade, independent]);

        Assert.Equal(ApprovalAction.Apply, decision.Action);
        Assert.Equal("by-bob", decision.Status!.Approved!.Approval);
    }

    [Fact]
    public void The_same_approval_again_changes_nothing()
    {
        var model = WithApproval(GateFixtures.Clinical(), GateFixtures.Approved140());

        var decision = ApprovalGate.Decide(model, [GateFixtures.Approval()]);

        Assert.Equal(ApprovalAction.Apply, decision.Action);
        Assert.False(decision.Changes(model.Status!.Approval));
    }

    [Fact]
    public void Changes_compares_the_state_and_the_approved_version_but_not_the_pending_one()
    {
        static ApprovedModelVersion Version(string version = "1.4.0", string digest = TestModels.Digest, string? approval = GateFixtures.Name140) =>
            new() { Version = version, Digest = digest, Approval = approval, Approver = GateFixtures.Reviewer };
        static ApprovalDecision Decision(ModelApprovalState state, ApprovedModelVersion? approved = null, ApprovedModelVersion? pending = null) =>
            new(ApprovalAction.Apply, new ModelApprovalStatus { State = state, Approved = approved, Pending = pending });
        var approved = new ModelApprovalStatus { State = ModelApprovalState.Approved, Approved = Version() };

        // The first decision of a Clinical model, and one that repeats the status.
        Assert.True(Decision(ModelApprovalState.AwaitingApproval).Changes(null));
        Assert.False(Decision(ModelApprovalState.Approved, Version()).Changes(approved));
        // Same version, other state, approval, version or digest.
        Assert.True(Decision(ModelApprovalState.AwaitingApproval, Version()).Changes(approved));
        Assert.True(Decision(ModelApprovalState.Approved, Version(approval: "another")).Changes(approved));
        Assert.True(Decision(ModelApprovalState.Approved, Version("1.5.0")).Changes(approved));
        Assert.True(Decision(ModelApprovalState.Approved, Version(digest: GateFixtures.NextDigest)).Changes(approved));
        Assert.True(Decision(ModelApprovalState.Revoked).Changes(new ModelApprovalStatus { State = ModelApprovalState.AwaitingApproval }));
        // Only the pending version differs: not a change of what serves.
        var waiting = new ModelApprovalStatus { State = ModelApprovalState.AwaitingApproval, Approved = Version(), Pending = Version("1.5.0", approval: null) };
        Assert.False(Decision(ModelApprovalState.AwaitingApproval, Version(), Version("1.6.0", approval: null)).Changes(waiting));
        // A Research model: no status before, none after.
        Assert.False(new ApprovalDecision(ApprovalAction.Apply, null).Changes(null));
        Assert.True(new ApprovalDecision(ApprovalAction.Apply, null).Changes(approved));
    }

    [Fact]
    public void Decide_refuses_null_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => ApprovalGate.Decide(null!, []));
        Assert.Throws<ArgumentNullException>(() => ApprovalGate.Decide(GateFixtures.Clinical(), null!));
    }
}
