using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Admission;
using MedOps.Controllers.Tests.Workspaces;
using MedOps.Runtime.Admission;
using static MedOps.Controllers.Tests.Admission.AdmissionCase;

namespace MedOps.Controllers.Tests.Admission;

public sealed class WorkspaceAdmissionTests
{
    private const string OtherEncryptedClass = "encrypted-nvme";

    /// <summary>Every row starts here: encrypted-ssd and encrypted-nvme are listed.</summary>
    private static void Baseline(AdmissionHarness harness) =>
        harness.Settings = new GuardrailSettings { PhiStorageClasses = [AdmissionHarness.EncryptedClass, OtherEncryptedClass] };

    /// <summary>Dr Smith's PHI workspace with its disk on encrypted-ssd, then <paramref name="change"/>.</summary>
    private static V1Alpha1Workspace Workspace(Action<V1Alpha1WorkspaceSpec>? change = null) => TestWorkspaces.DrSmith(s =>
    {
        s.Disk.StorageClassName = AdmissionHarness.EncryptedClass;
        change?.Invoke(s);
    });

    private const string Hold = "case-2026-117";

    /// <summary><see cref="Workspace"/> under legal hold <see cref="Hold"/>, then <paramref name="change"/>.</summary>
    private static V1Alpha1Workspace Held(Action<V1Alpha1WorkspaceSpec>? change = null) => Workspace(s =>
    {
        s.LegalHold = Hold;
        change?.Invoke(s);
    });

    /// <summary><paramref name="workspace"/> carrying the operator's protecting finalizer.</summary>
    private static V1Alpha1Workspace Protected(V1Alpha1Workspace workspace) => TestWorkspaces.Protected(workspace);

    private static void MayReleaseHolds(AdmissionHarness harness) => harness.Reviewer.Grant(LegalHolds.Verb, V1Alpha1Workspace.KubePluralName);

    private static Action<V1Alpha1WorkspaceSpec> DiskOn(string? storageClass, DataClassification classification = DataClassification.PHI) => s =>
    {
        s.Disk.StorageClassName = storageClass;
        s.DataClassification = classification;
    };

    private static readonly AdmissionCase[] Cases =
    [
        Allow("a PHI disk on a listed class is allowed", () => AdmissionHarness.Create(Workspace())),
        Invalid("a PHI disk on an unlisted class is refused", () => AdmissionHarness.Create(Workspace(DiskOn(AdmissionHarness.PlainClass))),
            ["spec.disk.storageClassName"]),
        Invalid("a LimitedDataSet disk on an unlisted class is refused",
            () => AdmissionHarness.Create(Workspace(DiskOn(AdmissionHarness.PlainClass, DataClassification.LimitedDataSet))), ["spec.disk.storageClassName"]),
        Invalid("a PHI disk is refused when guardrails.phiStorageClasses is empty", () => AdmissionHarness.Create(Workspace()),
            ["spec.disk.storageClassName"], h => h.Settings = new GuardrailSettings()),
        Allow("a PHI disk without a class is allowed when the single default class is listed", () => AdmissionHarness.Create(Workspace(DiskOn(null))),
            h => h.Cluster.WithDefaultClasses(AdmissionHarness.EncryptedClass)),
        Invalid("a PHI disk without a class is refused when the default class is not listed", () => AdmissionHarness.Create(Workspace(DiskOn(null))),
            ["spec.disk.storageClassName"], h => h.Cluster.WithDefaultClasses(AdmissionHarness.PlainClass)),
        Invalid("a PHI disk without a class is refused when the cluster has no default class", () => AdmissionHarness.Create(Workspace(DiskOn(null))),
            ["spec.disk.storageClassName"]),
        Allow("a DeIdentified disk may use any class",
            () => AdmissionHarness.Create(Workspace(DiskOn(AdmissionHarness.PlainClass, DataClassification.DeIdentified))), h => h.Settings = new GuardrailSettings()),
        Allow("a Public disk without a class needs no default class",
            () => AdmissionHarness.Create(Workspace(DiskOn(null, DataClassification.Public))), h => h.Settings = new GuardrailSettings()),
        Invalid("an image without a source is refused", () => AdmissionHarness.Create(Workspace(s => s.Image = new WorkspaceImage())), ["spec.image"]),
        Invalid("an image with two sources is refused",
            () => AdmissionHarness.Create(Workspace(s => s.Image.Http = "https://images.example.org/ubuntu.qcow2")), ["spec.image"]),
        Invalid("a memory that is not a quantity is refused", () => AdmissionHarness.Create(Workspace(s => s.Memory = "lots")), ["spec.memory"]),
        Invalid("a memory of zero is refused", () => AdmissionHarness.Create(Workspace(s => s.Memory = "0")), ["spec.memory"]),
        Invalid("a disk size that is not a quantity is refused", () => AdmissionHarness.Create(Workspace(s => s.Disk.Size = "big")), ["spec.disk.size"]),
        Invalid("several problems at once are all reported, each with its field",
            () =>
            {
                var workspace = Workspace(s => { s.Image = new WorkspaceImage(); s.Memory = "lots"; s.Disk.StorageClassName = AdmissionHarness.PlainClass; });
                workspace.Metadata.Name = "Dr.Smith";
                return AdmissionHarness.Create(workspace);
            },
            ["metadata.name", "spec.image", "spec.memory", "spec.disk.storageClassName"]),
        Invalid("an UPDATE shrinking the disk is refused",
            () => AdmissionHarness.Update(Workspace(s => s.Disk.Size = "40Gi"), Workspace(s => s.Disk.Size = "20Gi")), ["spec.disk.size"]),
        Invalid("an UPDATE shrinking the disk in another unit is refused",
            () => AdmissionHarness.Update(Workspace(s => s.Disk.Size = "1Ti"), Workspace(s => s.Disk.Size = "1000Gi")), ["spec.disk.size"]),
        Allow("an UPDATE growing the disk is allowed",
            () => AdmissionHarness.Update(Workspace(s => s.Disk.Size = "20Gi"), Workspace(s => s.Disk.Size = "40Gi"))),
        Allow("an UPDATE writing the same size in another unit is allowed",
            () => AdmissionHarness.Update(Workspace(s => s.Disk.Size = "1Ti"), Workspace(s => s.Disk.Size = "1024Gi"))),
        Invalid("an UPDATE changing the disk's class is refused, even to another listed class",
            () => AdmissionHarness.Update(Workspace(), Workspace(s => s.Disk.StorageClassName = OtherEncryptedClass)), ["spec.disk.storageClassName"]),
        Invalid("an UPDATE naming a class for a disk created without one is refused",
            () => AdmissionHarness.Update(Workspace(DiskOn(null)), Workspace()), ["spec.disk.storageClassName"]),
        Allow("an UPDATE that keeps the classification does not check the disk's class again",
            () => AdmissionHarness.Update(Workspace(DiskOn(AdmissionHarness.PlainClass)), Workspace(s => { DiskOn(AdmissionHarness.PlainClass)(s); s.Memory = "2Gi"; }))),
        Forbidden("lowering PHI to DeIdentified without the declassify permission is refused",
            () => AdmissionHarness.Update(Workspace(), Workspace(s => s.DataClassification = DataClassification.DeIdentified)), ["spec.dataClassification"]),
        Allow("lowering PHI to DeIdentified with the declassify permission on workspaces is allowed",
            () => AdmissionHarness.Update(Workspace(), Workspace(s => s.DataClassification = DataClassification.DeIdentified)),
            h => h.Reviewer.Grant(Declassification.Verb, V1Alpha1Workspace.KubePluralName)),
        Forbidden("the declassify permission on trainingjobs does not allow lowering a workspace",
            () => AdmissionHarness.Update(Workspace(), Workspace(s => s.DataClassification = DataClassification.Public)), ["spec.dataClassification"],
            h => h.Reviewer.Grant(Declassification.Verb, V1Alpha1TrainingJob.KubePluralName)),
        Invalid("an UPDATE raising DeIdentified to PHI checks the disk's class",
            () => AdmissionHarness.Update(Workspace(DiskOn(AdmissionHarness.PlainClass, DataClassification.DeIdentified)), Workspace(DiskOn(AdmissionHarness.PlainClass))),
            ["spec.disk.storageClassName"]),
        Forbidden("a shrink and a forbidden declassification together are forbidden and name both fields",
            () => AdmissionHarness.Update(Workspace(s => s.Disk.Size = "40Gi"), Workspace(s => { s.Disk.Size = "20Gi"; s.DataClassification = DataClassification.Public; })),
            ["spec.dataClassification", "spec.disk.size"]),
        Allow("an UPDATE that leaves an invalid stored spec unchanged (a new label) is allowed",
            () =>
            {
                var stored = Workspace(s => { s.Memory = "lots"; s.Disk.StorageClassName = AdmissionHarness.PlainClass; });
                var labelled = Workspace(s => { s.Memory = "lots"; s.Disk.StorageClassName = AdmissionHarness.PlainClass; });
                labelled.Metadata.Labels["reviewed"] = "true";
                return AdmissionHarness.Update(stored, labelled);
            }),
        Allow("placing a legal hold needs no permission",
            () => AdmissionHarness.Update(Workspace(), Held())),
        Allow("creating a workspace under a legal hold is allowed", () => AdmissionHarness.Create(Held())),
        Forbidden("removing a legal hold without the release-hold permission is refused",
            () => AdmissionHarness.Update(Protected(Held()), Protected(Workspace())), ["spec.legalHold"]),
        Allow("removing a legal hold with the release-hold permission on workspaces is allowed",
            () => AdmissionHarness.Update(Protected(Held()), Protected(Workspace())), MayReleaseHolds),
        Forbidden("the release-hold permission on trainingjobs does not remove a workspace's hold",
            () => AdmissionHarness.Update(Held(), Workspace()), ["spec.legalHold"],
            h => h.Reviewer.Grant(LegalHolds.Verb, V1Alpha1TrainingJob.KubePluralName)),
        Forbidden("the declassify permission does not remove a legal hold",
            () => AdmissionHarness.Update(Held(), Workspace()), ["spec.legalHold"],
            h => h.Reviewer.Grant(Declassification.Verb, V1Alpha1Workspace.KubePluralName)),
        Forbidden("emptying a legal hold's name without the release-hold permission is refused",
            () => AdmissionHarness.Update(Held(), Held(s => s.LegalHold = "")), ["spec.legalHold"]),
        Forbidden("renaming a legal hold without the release-hold permission is refused",
            () => AdmissionHarness.Update(Held(), Held(s => s.LegalHold = "case-2027-001")), ["spec.legalHold"]),
        Allow("renaming a legal hold with the release-hold permission is allowed",
            () => AdmissionHarness.Update(Held(), Held(s => s.LegalHold = "case-2027-001")), MayReleaseHolds),
        Forbidden("growing the disk while held is refused",
            () => AdmissionHarness.Update(Held(), Held(s => s.Disk.Size = "40Gi")), ["spec.disk"]),
        Forbidden("growing the disk while held is refused even with the release-hold permission",
            () => AdmissionHarness.Update(Held(), Held(s => s.Disk.Size = "40Gi")), ["spec.disk"], MayReleaseHolds),
        Forbidden("changing the reclaim policy while held is refused",
            () => AdmissionHarness.Update(Held(), Held(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)), ["spec.disk"]),
        Forbidden("shrinking the disk while held is forbidden and also invalid",
            () => AdmissionHarness.Update(Held(s => s.Disk.Size = "40Gi"), Held(s => s.Disk.Size = "20Gi")), ["spec.disk", "spec.disk.size"]),
        Forbidden("changing the image while held is refused",
            () => AdmissionHarness.Update(Held(), Held(s => s.Image.ContainerDisk = "quay.io/containerdisks/ubuntu:24.04")), ["spec.image"]),
        Forbidden("changing the disk and the image while held names both",
            () => AdmissionHarness.Update(Held(), Held(s => { s.Disk.Size = "40Gi"; s.Image.ContainerDisk = "quay.io/containerdisks/ubuntu:24.04"; })),
            ["spec.disk", "spec.image"]),
        Allow("changing cpu, memory or running while held is allowed",
            () => AdmissionHarness.Update(Held(), Held(s => { s.Cpu = 4; s.Memory = "8Gi"; s.Running = false; }))),
        Allow("growing the disk while placing the hold is allowed",
            () => AdmissionHarness.Update(Workspace(), Held(s => s.Disk.Size = "40Gi"))),
        Allow("growing the disk while lifting the hold with the release-hold permission is allowed",
            () => AdmissionHarness.Update(Held(), Workspace(s => s.Disk.Size = "40Gi")), MayReleaseHolds),
        Forbidden("removing the finalizer of a held workspace is refused even with an unchanged spec",
            () => AdmissionHarness.Update(Protected(Held()), Held()), ["metadata.finalizers"]),
        Forbidden("removing the finalizer of a held workspace is refused even with the release-hold permission",
            () => AdmissionHarness.Update(Protected(Held()), Held()), ["metadata.finalizers"], MayReleaseHolds),
        Forbidden("removing the finalizer of a held workspace being deleted is refused",
            () => AdmissionHarness.Update(TestWorkspaces.Deleted(Protected(Held())), TestWorkspaces.Deleted(Held())), ["metadata.finalizers"]),
        Forbidden("removing the finalizer and renaming the hold at once is refused on the finalizer",
            () => AdmissionHarness.Update(Protected(Held()), Held(s => s.LegalHold = "case-2027-001")), ["metadata.finalizers"], MayReleaseHolds),
        Allow("removing the finalizer after the hold is gone is allowed",
            () => AdmissionHarness.Update(Protected(Workspace()), Workspace())),
        Allow("removing the finalizer of a deleted retain workspace is allowed",
            () => AdmissionHarness.Update(TestWorkspaces.Deleted(Protected(Workspace(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain))),
                TestWorkspaces.Deleted(Workspace(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)))),
        Allow("removing the hold and the finalizer together with the release-hold permission is allowed",
            () => AdmissionHarness.Update(Protected(Held()), Workspace()), MayReleaseHolds),
        Forbidden("removing the hold and the finalizer together without the release-hold permission is refused",
            () => AdmissionHarness.Update(Protected(Held()), Workspace()), ["spec.legalHold"]),
        Allow("adding the finalizer to a held workspace is allowed",
            () => AdmissionHarness.Update(Held(), Protected(Held()))),
        Invalid("an unknown time zone in the active hours is refused",
            () => AdmissionHarness.Create(Workspace(s => s.Lifecycle = new WorkspaceLifecycle
            {
                ActiveHours = new WorkspaceActiveHours { Start = "07:00", End = "19:00", TimeZone = "Europe/Atlantis" },
            })),
            ["spec.lifecycle.activeHours.timeZone"]),
        Invalid("a maximum session that is not a duration is refused",
            () => AdmissionHarness.Create(Workspace(s => s.Lifecycle = new WorkspaceLifecycle { MaxSessionDuration = "a day" })), ["spec.lifecycle.maxSessionDuration"]),
        Allow("a lifecycle with a session limit and office hours is allowed",
            () => AdmissionHarness.Create(Workspace(s => s.Lifecycle = new WorkspaceLifecycle
            {
                MaxSessionDuration = "8h",
                ActiveHours = new WorkspaceActiveHours { Start = "07:00", End = "19:00", TimeZone = "Europe/Berlin", Days = [WeekDay.Mon, WeekDay.Fri] },
            }))),
        Forbidden("deleting a held workspace is refused", () => AdmissionHarness.Delete(Protected(Held())), ["spec.legalHold"]),
        Forbidden("deleting a held workspace is refused even with the release-hold permission",
            () => AdmissionHarness.Delete(Protected(Held())), ["spec.legalHold"], MayReleaseHolds),
        Forbidden("deleting a held workspace without its finalizer yet is refused", () => AdmissionHarness.Delete(Held()), ["spec.legalHold"]),
        Forbidden("deleting a held workspace in the background is refused", () => AdmissionHarness.Delete(Protected(Held()), "Background"), ["spec.legalHold"]),
        Forbidden("deleting a held retain workspace in the foreground is refused on the hold",
            () => AdmissionHarness.Delete(Protected(Held(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)), "Foreground"), ["spec.legalHold"]),
        Forbidden("deleting a retain workspace in the foreground is refused",
            () => AdmissionHarness.Delete(Protected(Workspace(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)), "Foreground"), ["spec.disk.reclaimPolicy"]),
        Allow("deleting a retain workspace in the background is allowed",
            () => AdmissionHarness.Delete(Protected(Workspace(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)), "Background")),
        Allow("deleting a retain workspace without a propagation policy is allowed",
            () => AdmissionHarness.Delete(Protected(Workspace(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)))),
        Allow("deleting a retain workspace and orphaning its children is allowed",
            () => AdmissionHarness.Delete(Protected(Workspace(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)), "Orphan")),
        Allow("deleting a plain workspace is allowed", () => AdmissionHarness.Delete(Workspace())),
        Allow("deleting a plain workspace in the foreground is allowed", () => AdmissionHarness.Delete(Workspace(), "Foreground")),
        Allow("deleting a workspace whose stored spec is invalid is allowed",
            () => AdmissionHarness.Delete(Workspace(s => { s.Memory = "lots"; s.Disk.StorageClassName = AdmissionHarness.PlainClass; }))),
        Allow("deleting a workspace after its hold was lifted is allowed", () => AdmissionHarness.Delete(Protected(Workspace()))),
        Allow("a new label on a held workspace is allowed",
            () =>
            {
                var labelled = Protected(Held());
                labelled.Metadata.Labels["reviewed"] = "true";
                return AdmissionHarness.Update(Protected(Held()), labelled);
            }),
    ];

    public static TheoryData<Rule> Rules() => Names(Cases);

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_allows_or_refuses_with_every_field_at_fault_and_its_status_code(Rule rule) =>
        await AdmissionAssert.RowAsync(Cases, rule.Description, Baseline);

    [Fact]
    public void Every_row_of_the_table_has_its_own_description() =>
        Assert.Equal(Cases.Length, Cases.Select(c => c.Description).Distinct(StringComparer.Ordinal).Count());

    private static async Task<(AdmissionHarness Harness, AdmissionResponse Response)> DecideAsync(AdmissionRequest request, Action<AdmissionHarness>? arrange = null)
    {
        var harness = new AdmissionHarness();
        Baseline(harness);
        arrange?.Invoke(harness);
        return (harness, await harness.DecideAsync(request));
    }

    [Fact]
    public async Task With_no_class_listed_the_refusal_says_the_administrator_must_list_the_encrypted_ones()
    {
        var (_, response) = await DecideAsync(AdmissionHarness.Create(Workspace()), h => h.Settings = new GuardrailSettings());

        Assert.Equal(
            "Workspace.medops.io \"dr-smith\" is invalid: spec.disk.storageClassName: the disk uses StorageClass \"encrypted-ssd\", which is not allowed for PHI data: no StorageClass is allowed yet: the operator's administrator must list the encrypted ones in guardrails.phiStorageClasses",
            response.Status!.Message);
        Assert.Equal(
            "the disk uses StorageClass \"encrypted-ssd\", which is not allowed for PHI data: no StorageClass is allowed yet: the operator's administrator must list the encrypted ones in guardrails.phiStorageClasses",
            Assert.Single(response.Status.Details!.Causes).Message);
    }

    [Fact]
    public async Task A_shrink_says_the_size_to_keep()
    {
        var (_, response) = await DecideAsync(AdmissionHarness.Update(Workspace(s => s.Disk.Size = "40Gi"), Workspace(s => s.Disk.Size = "20Gi")));

        Assert.Equal(
            "20Gi is smaller than the disk's 40Gi: a disk cannot shrink (its data would not fit); keep 40Gi or more",
            Assert.Single(response.Status!.Details!.Causes).Message);
    }

    [Fact]
    public async Task A_disk_with_a_class_looks_up_no_default_class()
    {
        var (harness, response) = await DecideAsync(AdmissionHarness.Create(Workspace()));

        Assert.True(response.Allowed);
        Assert.Equal(0, harness.Cluster.DefaultClassLookups);
        Assert.Empty(harness.Cluster.ClaimLookups);
    }

    [Fact]
    public async Task Removing_a_hold_asks_rbac_for_release_hold_on_this_workspace()
    {
        var (harness, response) = await DecideAsync(AdmissionHarness.Update(Held(), Workspace()), MayReleaseHolds);

        Assert.True(response.Allowed);
        var (user, resource) = Assert.Single(harness.Reviewer.Reviews);
        Assert.Equal("alice", user.Username);
        Assert.Equal(new ResourceAttributes("release-hold", "medops.io", "workspaces", TestWorkspaces.Namespace, TestWorkspaces.Name), resource);
    }

    [Fact]
    public async Task Renaming_a_hold_asks_rbac_for_release_hold_on_this_workspace()
    {
        var (harness, response) = await DecideAsync(AdmissionHarness.Update(Held(), Held(s => s.LegalHold = "case-2027-001")), MayReleaseHolds);

        Assert.True(response.Allowed);
        var (_, resource) = Assert.Single(harness.Reviewer.Reviews);
        Assert.Equal(new ResourceAttributes(LegalHolds.Verb, "medops.io", V1Alpha1Workspace.KubePluralName, TestWorkspaces.Namespace, TestWorkspaces.Name), resource);
    }

    [Fact]
    public async Task Placing_or_keeping_a_hold_asks_rbac_nothing()
    {
        var (placing, placed) = await DecideAsync(AdmissionHarness.Update(Workspace(), Held()));
        var (keeping, kept) = await DecideAsync(AdmissionHarness.Update(Held(), Held(s => s.Cpu = 4)));

        Assert.True(placed.Allowed);
        Assert.True(kept.Allowed);
        Assert.Empty(placing.Reviewer.Reviews);
        Assert.Empty(keeping.Reviewer.Reviews);
    }

    [Fact]
    public async Task A_refused_release_says_which_hold_and_which_permission()
    {
        var (_, removed) = await DecideAsync(AdmissionHarness.Update(Held(), Workspace()));
        var (_, renamed) = await DecideAsync(AdmissionHarness.Update(Held(), Held(s => s.LegalHold = "case-2027-001")));

        Assert.Equal(403, removed.Status!.Code);
        Assert.Equal(
            "Workspace.medops.io \"dr-smith\" is forbidden: spec.legalHold: the workspace is under legal hold \"case-2026-117\"; removing it needs the \"release-hold\" permission on workspaces.medops.io, which alice does not have",
            removed.Status.Message);
        Assert.Equal(
            "the workspace is under legal hold \"case-2026-117\"; changing it to \"case-2027-001\" needs the \"release-hold\" permission on workspaces.medops.io, which alice does not have",
            Assert.Single(renamed.Status!.Details!.Causes).Message);
    }

    [Fact]
    public async Task A_refused_finalizer_removal_says_how_to_lift_the_hold()
    {
        var (harness, response) = await DecideAsync(AdmissionHarness.Update(Protected(Held()), Held()));

        var cause = Assert.Single(response.Status!.Details!.Causes);
        Assert.Equal("metadata.finalizers", cause.Field);
        Assert.Equal(
            "medops.io/workspace-protection keeps the workspace and its disk under legal hold \"case-2026-117\" and cannot be removed while the hold is set; remove spec.legalHold first (needs the \"release-hold\" permission)",
            cause.Message);
        Assert.Empty(harness.Reviewer.Reviews);
    }

    [Fact]
    public async Task A_frozen_disk_says_it_is_kept_for_the_hold()
    {
        var (_, response) = await DecideAsync(AdmissionHarness.Update(Held(), Held(s => s.Disk.Size = "40Gi")));

        Assert.Equal(
            "cannot change while legal hold \"case-2026-117\" is set: the disk is preserved as it is",
            Assert.Single(response.Status!.Details!.Causes).Message);
    }

    [Fact]
    public async Task A_refused_delete_of_a_held_workspace_names_the_hold_and_asks_rbac_nothing()
    {
        var (harness, response) = await DecideAsync(AdmissionHarness.Delete(Protected(Held())), MayReleaseHolds);

        Assert.Equal(
            "Workspace.medops.io \"dr-smith\" is forbidden: spec.legalHold: the workspace is under legal hold \"case-2026-117\" and cannot be deleted; remove the hold first (needs the \"release-hold\" permission)",
            response.Status!.Message);
        var cause = Assert.Single(response.Status.Details!.Causes);
        Assert.Equal(("spec.legalHold", "FieldValueForbidden"), (cause.Field, cause.Reason));
        Assert.Equal("the workspace is under legal hold \"case-2026-117\" and cannot be deleted; remove the hold first (needs the \"release-hold\" permission)", cause.Message);
        Assert.Empty(harness.Reviewer.Reviews);
    }

    [Fact]
    public async Task A_refused_foreground_delete_says_to_delete_in_the_background()
    {
        var (_, response) = await DecideAsync(AdmissionHarness.Delete(Protected(Workspace(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)), "Foreground"));

        Assert.Equal(403, response.Status!.Code);
        Assert.Equal(
            "the disk is retained, and foreground deletion would delete it before the operator can keep it; delete the workspace with --cascade=background (the default)",
            Assert.Single(response.Status.Details!.Causes).Message);
    }

    [Fact]
    public async Task A_delete_looks_up_nothing_in_the_cluster()
    {
        var (harness, response) = await DecideAsync(AdmissionHarness.Delete(Workspace(DiskOn(null))));

        Assert.True(response.Allowed);
        Assert.Equal(0, harness.Cluster.DefaultClassLookups);
        Assert.Empty(harness.Cluster.ClaimLookups);
        Assert.Empty(harness.Reviewer.Reviews);
    }

    [Theory]
    [InlineData("""{"propagationPolicy": 5}""")]
    [InlineData("""{"propagationPolicy": null}""")]
    [InlineData("null")]
    public async Task Options_that_do_not_ask_for_foreground_deletion_allow_deleting_a_retain_workspace(string options)
    {
        var request = AdmissionHarness.Delete(Protected(Workspace(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)));
        request.Options = AdmissionHarness.Options(options);

        var (_, response) = await DecideAsync(request);

        Assert.True(response.Allowed, response.Status?.Message);
    }

    [Fact]
    public async Task A_delete_without_options_is_allowed()
    {
        var request = AdmissionHarness.Delete(Protected(Workspace(s => s.Disk.ReclaimPolicy = DiskReclaimPolicy.Retain)));
        request.Options = null;

        var (_, response) = await DecideAsync(request);

        Assert.True(response.Allowed, response.Status?.Message);
    }

    [Fact]
    public async Task Declassifying_a_workspace_asks_rbac_about_this_workspace()
    {
        var (harness, response) = await DecideAsync(AdmissionHarness.Update(Workspace(), Workspace(s => s.DataClassification = DataClassification.Public)));

        Assert.Equal(403, response.Status!.Code);
        var (user, resource) = Assert.Single(harness.Reviewer.Reviews);
        Assert.Equal("alice", user.Username);
        Assert.Equal(new ResourceAttributes("declassify", "medops.io", "workspaces", TestWorkspaces.Namespace, TestWorkspaces.Name), resource);
        Assert.StartsWith("Workspace.medops.io \"dr-smith\" is forbidden: spec.dataClassification: lowering PHI to Public needs the \"declassify\" permission on workspaces.medops.io, which alice does not have",
            response.Status.Message, StringComparison.Ordinal);
    }
}
