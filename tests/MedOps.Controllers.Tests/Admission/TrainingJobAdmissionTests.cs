using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Admission;
using MedOps.Controllers.Tests.TrainingJobs;
using MedOps.Runtime.Admission;
using static MedOps.Controllers.Tests.Admission.AdmissionCase;

namespace MedOps.Controllers.Tests.Admission;

public sealed class TrainingJobAdmissionTests
{
    private const string OutputClaim = "models";

    /// <summary>Every row starts here: encrypted-ssd is listed and the job's output claim is on it.</summary>
    private static void Baseline(AdmissionHarness harness)
    {
        harness.Settings = new GuardrailSettings { PhiStorageClasses = [AdmissionHarness.EncryptedClass] };
        harness.Cluster.WithClaim(TestJobs.Namespace, OutputClaim, AdmissionHarness.EncryptedClass);
    }

    private static Action<AdmissionHarness> OutputOn(string? storageClass, params string[] defaults) => h =>
        h.Cluster.WithClaim(TestJobs.Namespace, OutputClaim, storageClass).WithDefaultClasses(defaults);

    private static V1Alpha1TrainingJob Job(Action<V1Alpha1TrainingJobSpec>? change = null) => TestJobs.ChestXray(change);

    private static Action<V1Alpha1TrainingJobSpec> Registers(DataClassification classification) => s => s.Model = new ModelRegistration
    {
        Name = "chest-xray",
        Template = new MedicalModelTemplateSpec
        {
            Modality = Modality.Imaging,
            Version = "1.5.0",
            DataClassification = classification,
            Runtime = new ModelRuntime { Image = "nvcr.io/nvidia/tritonserver:24.08-py3", Port = 8000 },
            Resources = new ComputeResources { Cpu = "4", Memory = "16Gi" },
        },
    };

    private static readonly AdmissionCase[] Cases =
    [
        Allow("a PHI job whose output claim is on a listed class is allowed", () => AdmissionHarness.Create(Job())),
        Allow("a LimitedDataSet job whose output claim is on a listed class is allowed",
            () => AdmissionHarness.Create(Job(s => s.DataClassification = DataClassification.LimitedDataSet))),
        Invalid("a PHI job whose output claim does not exist is refused", () => AdmissionHarness.Create(Job()), ["spec.output.claimName"],
            h => h.Cluster.WithoutClaim(TestJobs.Namespace, OutputClaim)),
        Invalid("a PHI job whose output claim is on an unlisted class is refused", () => AdmissionHarness.Create(Job()), ["spec.output.claimName"],
            OutputOn(AdmissionHarness.PlainClass)),
        Invalid("a LimitedDataSet job whose output claim is on an unlisted class is refused",
            () => AdmissionHarness.Create(Job(s => s.DataClassification = DataClassification.LimitedDataSet)), ["spec.output.claimName"],
            OutputOn(AdmissionHarness.PlainClass)),
        Invalid("a PHI job's output claim is refused when guardrails.phiStorageClasses is empty", () => AdmissionHarness.Create(Job()),
            ["spec.output.claimName"], h => h.Settings = new GuardrailSettings()),
        Allow("a claim without a class is allowed when the single default class is listed", () => AdmissionHarness.Create(Job()),
            OutputOn(null, AdmissionHarness.EncryptedClass)),
        Invalid("a claim without a class is refused when the default class is not listed", () => AdmissionHarness.Create(Job()),
            ["spec.output.claimName"], OutputOn(null, AdmissionHarness.PlainClass)),
        Invalid("a claim with an empty class is refused when the default class is not listed", () => AdmissionHarness.Create(Job()),
            ["spec.output.claimName"], OutputOn("", AdmissionHarness.PlainClass)),
        Invalid("a claim without a class is refused when the cluster has no default class", () => AdmissionHarness.Create(Job()),
            ["spec.output.claimName"], OutputOn(null)),
        Invalid("a claim without a class is refused when the cluster has two default classes, even both listed", () => AdmissionHarness.Create(Job()),
            ["spec.output.claimName"],
            h =>
            {
                h.Settings = new GuardrailSettings { PhiStorageClasses = [AdmissionHarness.EncryptedClass, "encrypted-nvme"] };
                OutputOn(null, AdmissionHarness.EncryptedClass, "encrypted-nvme")(h);
            }),
        Allow("a Public job's output claim may use any class", () => AdmissionHarness.Create(Job(s => s.DataClassification = DataClassification.Public)),
            OutputOn(AdmissionHarness.PlainClass)),
        Allow("a DeIdentified job's output claim need not exist yet",
            () => AdmissionHarness.Create(Job(s => s.DataClassification = DataClassification.DeIdentified)),
            h => h.Cluster.WithoutClaim(TestJobs.Namespace, OutputClaim)),
        Invalid("a job registering a Public model from PHI data is refused",
            () => AdmissionHarness.Create(Job(Registers(DataClassification.Public))), ["spec.model.template.dataClassification"]),
        Invalid("a LimitedDataSet job registering a DeIdentified model is refused",
            () => AdmissionHarness.Create(Job(s => { Registers(DataClassification.DeIdentified)(s); s.DataClassification = DataClassification.LimitedDataSet; })),
            ["spec.model.template.dataClassification"]),
        Allow("a job registering a PHI model from PHI data is allowed", () => AdmissionHarness.Create(Job(Registers(DataClassification.PHI)))),
        Allow("a DeIdentified job registering a PHI model is allowed",
            () => AdmissionHarness.Create(Job(s => { Registers(DataClassification.PHI)(s); s.DataClassification = DataClassification.DeIdentified; }))),
        Invalid("a name too long for the last worker's hostname is refused",
            () =>
            {
                var job = Job();
                job.Metadata.Name = new string('a', 60);
                return AdmissionHarness.Create(job);
            },
            ["metadata.name"]),
        Invalid("a name with a dot is refused",
            () =>
            {
                var job = Job();
                job.Metadata.Name = "cxr.train";
                return AdmissionHarness.Create(job);
            },
            ["metadata.name"]),
        Invalid("a cpu and a memory that are not quantities are both refused",
            () => AdmissionHarness.Create(Job(s => s.Resources = new ComputeResources { Cpu = "lots", Memory = "32GB" })),
            ["spec.resources.cpu", "spec.resources.memory"]),
        Forbidden("lowering PHI to DeIdentified without the declassify permission is refused",
            () => AdmissionHarness.Update(Job(), Job(s => s.DataClassification = DataClassification.DeIdentified)), ["spec.dataClassification"]),
        Allow("lowering PHI to DeIdentified with the declassify permission on trainingjobs is allowed",
            () => AdmissionHarness.Update(Job(), Job(s => s.DataClassification = DataClassification.DeIdentified)),
            h => h.Reviewer.Grant(Declassification.Verb, V1Alpha1TrainingJob.KubePluralName)),
        Forbidden("the declassify permission on medicalmodels does not allow lowering a job",
            () => AdmissionHarness.Update(Job(), Job(s => s.DataClassification = DataClassification.Public)), ["spec.dataClassification"],
            h => h.Reviewer.Grant(Declassification.Verb, V1Alpha1MedicalModel.KubePluralName)),
        Invalid("an UPDATE changing spec.output is refused: it is immutable",
            () => AdmissionHarness.Update(Job(), Job(s => s.Output.Path = "chest-xray/1.6.0")), ["spec.output"]),
        Invalid("an UPDATE moving the output to a missing claim is refused for both reasons",
            () => AdmissionHarness.Update(Job(), Job(s => s.Output.ClaimName = "models-2")), ["spec.output", "spec.output.claimName"]),
        Invalid("an UPDATE changing spec.dataset is refused: it is immutable",
            () => AdmissionHarness.Update(Job(), Job(s => s.Dataset.SubPath = "2025")), ["spec.dataset"]),
        Invalid("an UPDATE changing both lineage fields names both",
            () => AdmissionHarness.Update(Job(), Job(s => { s.Dataset.ClaimName = "cxr-2025"; s.Output.Path = "x"; })), ["spec.dataset", "spec.output"]),
        Allow("an UPDATE of mutable fields is allowed",
            () => AdmissionHarness.Update(Job(), Job(s => { s.Suspend = true; s.BackoffLimit = 5; s.Image = "pytorch/pytorch:2.5.0"; }))),
        Allow("an UPDATE that keeps the output does not check its claim again",
            () => AdmissionHarness.Update(Job(), Job(s => s.Suspend = true)), OutputOn(AdmissionHarness.PlainClass)),
        Invalid("an UPDATE raising DeIdentified to PHI checks the output claim's class",
            () => AdmissionHarness.Update(Job(s => s.DataClassification = DataClassification.DeIdentified), Job()), ["spec.output.claimName"],
            OutputOn(AdmissionHarness.PlainClass)),
        Allow("an UPDATE that leaves an invalid stored spec unchanged (a new label) is allowed",
            () =>
            {
                var stored = Job(s => s.Resources.Cpu = "lots");
                var labelled = Job(s => s.Resources.Cpu = "lots");
                labelled.Metadata.Labels["reviewed"] = "true";
                return AdmissionHarness.Update(stored, labelled);
            },
            h => h.Cluster.WithoutClaim(TestJobs.Namespace, OutputClaim)),
        Allow("deleting a training job is allowed", () => AdmissionHarness.Delete(Job())),
    ];

    public static TheoryData<Rule> Rules() => Names(Cases);

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_allows_or_refuses_with_every_field_at_fault_and_its_status_code(Rule rule) =>
        await AdmissionAssert.RowAsync(Cases, rule.Description, Baseline);

    [Fact]
    public void Every_row_of_the_table_has_its_own_description() =>
        Assert.Equal(Cases.Length, Cases.Select(c => c.Description).Distinct(StringComparer.Ordinal).Count());

    private static async Task<(AdmissionHarness Harness, AdmissionResponse Response)> DecideAsync(
        AdmissionRequest request, Action<AdmissionHarness>? arrange = null)
    {
        var harness = new AdmissionHarness();
        Baseline(harness);
        arrange?.Invoke(harness);
        return (harness, await harness.DecideAsync(request));
    }

    [Fact]
    public async Task The_output_claim_is_looked_up_in_the_jobs_namespace()
    {
        var (harness, response) = await DecideAsync(AdmissionHarness.Create(Job()));

        Assert.True(response.Allowed);
        Assert.Equal(["radiology/models"], harness.Cluster.ClaimLookups);
        Assert.Equal(0, harness.Cluster.DefaultClassLookups);
    }

    [Fact]
    public async Task A_missing_output_claim_is_named_with_its_namespace_and_the_fix()
    {
        var (_, response) = await DecideAsync(AdmissionHarness.Create(Job()), h => h.Cluster.WithoutClaim(TestJobs.Namespace, OutputClaim));

        var cause = Assert.Single(response.Status!.Details!.Causes);
        Assert.Equal(
            "PersistentVolumeClaim \"models\" does not exist in namespace \"radiology\": a PHI job's output claim must exist before the job, so that its StorageClass can be checked against guardrails.phiStorageClasses; create the claim first",
            cause.Message);
    }

    [Fact]
    public async Task An_unlisted_class_is_named_with_the_classes_that_are_allowed()
    {
        var (_, response) = await DecideAsync(AdmissionHarness.Create(Job()), OutputOn(AdmissionHarness.PlainClass));

        Assert.Equal(
            "TrainingJob.medops.io \"cxr-train\" is invalid: spec.output.claimName: output claim \"models\" uses StorageClass \"standard\", which is not allowed for PHI data: use one of \"encrypted-ssd\" (guardrails.phiStorageClasses)",
            response.Status!.Message);
    }

    [Theory]
    [InlineData(new string[0], "the cluster has no default one")]
    [InlineData(new[] { "standard" }, "gets the cluster's default \"standard\", which is not allowed for PHI data")]
    [InlineData(new[] { "encrypted-ssd", "standard" }, "the cluster marks several as default (\"encrypted-ssd\", \"standard\")")]
    public async Task A_claim_without_a_class_says_what_the_default_class_is(string[] defaults, string expected)
    {
        var (harness, response) = await DecideAsync(AdmissionHarness.Create(Job()), OutputOn(null, defaults));

        Assert.Contains("output claim \"models\" names no StorageClass", response.Status!.Message, StringComparison.Ordinal);
        Assert.Contains(expected, response.Status.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.Cluster.DefaultClassLookups);
    }

    [Fact]
    public async Task An_immutable_field_says_to_recreate_the_object()
    {
        var (_, response) = await DecideAsync(AdmissionHarness.Update(Job(), Job(s => s.Dataset.ClaimName = "cxr-2025")));

        Assert.Contains(
            "spec.dataset cannot be changed after creation (it is the data the job's lineage records): delete the object and create it again with the new value",
            response.Status!.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_too_sensitive_template_says_to_raise_it()
    {
        var (_, response) = await DecideAsync(AdmissionHarness.Create(Job(Registers(DataClassification.Public))));

        var cause = Assert.Single(response.Status!.Details!.Causes);
        Assert.Equal(
            "the job registers a Public model, less sensitive than its own PHI: a model keeps at least the classification of the data it was trained on; raise the template's dataClassification to PHI or higher",
            cause.Message);
    }

    [Fact]
    public async Task Declassifying_a_job_asks_rbac_about_this_job()
    {
        var (harness, response) = await DecideAsync(
            AdmissionHarness.Update(Job(), Job(s => s.DataClassification = DataClassification.Public)),
            h => h.Reviewer.Grant(Declassification.Verb, V1Alpha1TrainingJob.KubePluralName));

        Assert.True(response.Allowed);
        var (user, resource) = Assert.Single(harness.Reviewer.Reviews);
        Assert.Equal("alice", user.Username);
        Assert.Equal(new ResourceAttributes("declassify", "medops.io", "trainingjobs", TestJobs.Namespace, TestJobs.Name), resource);
    }
}
