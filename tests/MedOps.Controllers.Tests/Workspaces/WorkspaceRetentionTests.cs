using System.Text.Json.Nodes;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Workspaces;

namespace MedOps.Controllers.Tests.Workspaces;

/// <summary>Retention and legal hold: who carries the finalizer, what a deletion does at each step, and the patch that keeps a disk.</summary>
public class WorkspaceRetentionTests
{
    private const string Hold = "case-2026-117";

    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private static V1Alpha1Workspace Retained(Action<V1Alpha1WorkspaceSpec>? change = null) => TestWorkspaces.DrSmith(s =>
    {
        s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain;
        change?.Invoke(s);
    });

    private static V1Alpha1Workspace Held(Action<V1Alpha1WorkspaceSpec>? change = null) => TestWorkspaces.DrSmith(s =>
    {
        s.LegalHold = Hold;
        change?.Invoke(s);
    });

    /// <summary>The root claim once the retain patch was applied.</summary>
    private static V1PersistentVolumeClaim KeptClaim(string workspace = TestWorkspaces.Name)
    {
        var claim = TestWorkspaces.RootClaim("20Gi");
        claim.Metadata.OwnerReferences = [];
        claim.Metadata.Labels[WorkspaceRetention.RetainedFromLabel] = workspace;
        return claim;
    }

    [Fact]
    public void The_finalizer_and_the_keys_on_a_kept_claim_have_their_documented_names()
    {
        Assert.Equal("medops.io/workspace-protection", WorkspaceRetention.Finalizer);
        Assert.Equal("medops.io/retained-from-workspace", WorkspaceRetention.RetainedFromLabel);
        Assert.Equal("medops.io/owner", WorkspaceRetention.OwnerAnnotation);
    }

    [Fact]
    public void The_reclaim_policy_is_delete_unless_told()
    {
        Assert.Equal(DiskReclaimPolicy.Delete, new WorkspaceDisk().ReclaimPolicy);
        Assert.Null(new V1Alpha1WorkspaceSpec().LegalHold);
    }

    [Fact]
    public void A_plain_workspace_needs_no_finalizer()
    {
        Assert.False(WorkspaceRetention.NeedsFinalizer(TestWorkspaces.DrSmith()));
        Assert.False(WorkspaceRetention.NeedsFinalizer(TestWorkspaces.DrSmith(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Delete)));
    }

    [Fact]
    public void A_retained_disk_or_a_legal_hold_needs_the_finalizer()
    {
        Assert.True(WorkspaceRetention.NeedsFinalizer(Retained()));
        Assert.True(WorkspaceRetention.NeedsFinalizer(Held()));
        Assert.True(WorkspaceRetention.NeedsFinalizer(Held(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)));
    }

    [Fact]
    public void An_empty_hold_is_no_hold()
    {
        var workspace = TestWorkspaces.DrSmith(s => s.LegalHold = "");

        Assert.False(WorkspaceRetention.IsHeld(workspace));
        Assert.False(WorkspaceRetention.NeedsFinalizer(workspace));
        Assert.True(WorkspaceRetention.IsHeld(Held()));
    }

    [Fact]
    public void Has_finalizer_looks_for_medops_finalizer_among_others()
    {
        Assert.False(WorkspaceRetention.HasFinalizer(TestWorkspaces.DrSmith()));
        var other = TestWorkspaces.DrSmith();
        other.Metadata.Finalizers = ["kubernetes.io/other"];
        Assert.False(WorkspaceRetention.HasFinalizer(other));
        Assert.True(WorkspaceRetention.HasFinalizer(TestWorkspaces.Protected(TestWorkspaces.DrSmith(), "kubernetes.io/other")));
    }

    [Fact]
    public void A_workspace_that_is_not_being_deleted_has_no_deletion_step()
    {
        Assert.Equal(DeletionStep.None, WorkspaceRetention.Plan(TestWorkspaces.Protected(Held()), TestWorkspaces.RootClaim("20Gi")));
        Assert.Equal(DeletionStep.None, WorkspaceRetention.Plan(TestWorkspaces.Protected(Retained()), TestWorkspaces.RootClaim("20Gi")));
    }

    [Fact]
    public void A_deleted_workspace_without_the_finalizer_is_left_to_the_garbage_collector()
    {
        // A hold placed too late to be protected (the finalizer write never happened) cannot stop it.
        Assert.Equal(DeletionStep.None, WorkspaceRetention.Plan(TestWorkspaces.Deleted(Held()), TestWorkspaces.RootClaim("20Gi")));
        Assert.Equal(DeletionStep.None, WorkspaceRetention.Plan(TestWorkspaces.Deleted(TestWorkspaces.DrSmith()), null));
    }

    [Fact]
    public void A_deleted_held_workspace_is_held()
    {
        Assert.Equal(DeletionStep.Held, WorkspaceRetention.Plan(TestWorkspaces.Deleted(TestWorkspaces.Protected(Held())), TestWorkspaces.RootClaim("20Gi")));
        Assert.Equal(DeletionStep.Held, WorkspaceRetention.Plan(TestWorkspaces.Deleted(TestWorkspaces.Protected(Held())), null));
    }

    [Fact]
    public void The_hold_comes_before_keeping_the_disk()
    {
        var workspace = TestWorkspaces.Deleted(TestWorkspaces.Protected(Held(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)));

        Assert.Equal(DeletionStep.Held, WorkspaceRetention.Plan(workspace, TestWorkspaces.RootClaim("20Gi")));
    }

    [Fact]
    public void A_deleted_retain_workspace_keeps_its_claim_first()
    {
        Assert.Equal(DeletionStep.RetainDisk, WorkspaceRetention.Plan(TestWorkspaces.Deleted(TestWorkspaces.Protected(Retained())), TestWorkspaces.RootClaim("20Gi")));
    }

    [Fact]
    public void A_deleted_retain_workspace_whose_claim_is_kept_already_is_released()
    {
        Assert.Equal(DeletionStep.Release, WorkspaceRetention.Plan(TestWorkspaces.Deleted(TestWorkspaces.Protected(Retained())), KeptClaim()));
    }

    [Fact]
    public void A_deleted_retain_workspace_without_a_claim_is_released()
    {
        // Nothing to keep: the disk was never created.
        Assert.Equal(DeletionStep.Release, WorkspaceRetention.Plan(TestWorkspaces.Deleted(TestWorkspaces.Protected(Retained())), null));
    }

    [Fact]
    public void A_claim_still_owned_or_labelled_for_another_workspace_is_not_kept_yet()
    {
        var owned = KeptClaim();
        owned.Metadata.OwnerReferences = TestWorkspaces.RootClaim("20Gi").Metadata.OwnerReferences;
        var workspace = TestWorkspaces.Deleted(TestWorkspaces.Protected(Retained()));

        Assert.Equal(DeletionStep.RetainDisk, WorkspaceRetention.Plan(workspace, owned));
        Assert.Equal(DeletionStep.RetainDisk, WorkspaceRetention.Plan(workspace, KeptClaim("dr-jones")));
    }

    [Fact]
    public void A_deleted_delete_policy_workspace_with_the_finalizer_is_released()
    {
        // The hold was lifted after the deletion: nothing keeps the workspace any longer.
        Assert.Equal(DeletionStep.Release, WorkspaceRetention.Plan(TestWorkspaces.Deleted(TestWorkspaces.Protected(TestWorkspaces.DrSmith())), TestWorkspaces.RootClaim("20Gi")));
    }

    [Fact]
    public void Is_retained_needs_no_owners_and_the_label_naming_this_workspace()
    {
        var workspace = Retained();

        Assert.True(WorkspaceRetention.IsRetained(KeptClaim(), workspace));
        var noOwnersAtAll = KeptClaim();
        noOwnersAtAll.Metadata.OwnerReferences = null;
        Assert.True(WorkspaceRetention.IsRetained(noOwnersAtAll, workspace));
        Assert.False(WorkspaceRetention.IsRetained(TestWorkspaces.RootClaim("20Gi"), workspace));
        Assert.False(WorkspaceRetention.IsRetained(KeptClaim("dr-jones"), workspace));
        var unlabelled = KeptClaim();
        unlabelled.Metadata.Labels = null;
        Assert.False(WorkspaceRetention.IsRetained(unlabelled, workspace));
    }

    [Fact]
    public void The_retain_patch_removes_the_owners_and_says_where_the_claim_came_from()
    {
        var workspace = Retained(s => s.DataClassification = DataClassification.LimitedDataSet);

        var patch = JsonNode.Parse(WorkspaceRetention.RetainPatch(workspace, TestWorkspaces.RootClaim("20Gi"), Now))!.AsObject();

        // A merge patch of the metadata only: the claim's spec (its size) is not touched.
        var (key, node) = Assert.Single(patch);
        Assert.Equal("metadata", key);
        var metadata = node!.AsObject();
        Assert.Equal("42", metadata["resourceVersion"]!.GetValue<string>());
        Assert.Empty(metadata["ownerReferences"]!.AsArray());
        var labels = metadata["labels"]!.AsObject();
        Assert.Equal(2, labels.Count);
        Assert.Equal("dr-smith", labels[WorkspaceRetention.RetainedFromLabel]!.GetValue<string>());
        Assert.Equal("LimitedDataSet", labels[WorkspaceRetention.ClassificationLabel]!.GetValue<string>());
        var annotations = metadata["annotations"]!.AsObject();
        Assert.Equal(2, annotations.Count);
        Assert.Equal("dr.smith@hospital.example", annotations[WorkspaceRetention.OwnerAnnotation]!.GetValue<string>());
        Assert.Equal("2026-12-01T12:00:00Z", annotations[WorkspaceRetention.RetainedAtAnnotation]!.GetValue<string>());
    }

    [Fact]
    public void The_retain_patch_labels_a_phi_disk_as_phi()
    {
        var patch = JsonNode.Parse(WorkspaceRetention.RetainPatch(Retained(), TestWorkspaces.RootClaim("20Gi"), Now))!;

        Assert.Equal("PHI", patch["metadata"]!["labels"]![WorkspaceRetention.ClassificationLabel]!.GetValue<string>());
    }

    [Fact]
    public void A_patched_claim_counts_as_retained()
    {
        var workspace = Retained();
        var claim = TestWorkspaces.RootClaim("20Gi");
        var patch = JsonNode.Parse(WorkspaceRetention.RetainPatch(workspace, claim, Now))!["metadata"]!;
        // What the API server's merge makes of it.
        claim.Metadata.OwnerReferences = [];
        foreach (var (key, value) in patch["labels"]!.AsObject())
        {
            claim.Metadata.Labels[key] = value!.GetValue<string>();
        }

        Assert.True(WorkspaceRetention.IsRetained(claim, workspace));
        Assert.Equal(DeletionStep.Release, WorkspaceRetention.Plan(TestWorkspaces.Deleted(TestWorkspaces.Protected(workspace)), claim));
    }
}
