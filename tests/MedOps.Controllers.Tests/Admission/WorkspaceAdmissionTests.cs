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
