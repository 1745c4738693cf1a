using System.Text.Json.Nodes;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Admission;
using MedOps.Controllers.Approvals;
using MedOps.Controllers.Tests.Approvals;
using MedOps.Controllers.Tests.TrainingJobs;
using static MedOps.Controllers.Tests.Admission.AdmissionCase;

namespace MedOps.Controllers.Tests.Admission;

public sealed class MedicalModelAdmissionTests
{
    private const string HubUri = "https://huggingface.co/hospital/chest-xray/resolve/main/model.onnx";

    private static V1Alpha1MedicalModel Model(Action<V1Alpha1MedicalModelSpec>? change = null, string? name = null)
    {
        var model = TestModels.ChestXray(change);
        model.Metadata.Name = name ?? model.Metadata.Name;
        return model;
    }

    private static Action<V1Alpha1MedicalModelSpec> FromJob(DataClassification classification) => s =>
    {
        s.DataClassification = classification;
        s.Source = new ModelSource { TrainingJobRef = new TrainingJobReference { Name = TestJobs.Name } };
    };

    private const string CreatedByField = "metadata.annotations[medops.io/created-by]";
    private const string VersionSetByField = "metadata.annotations[medops.io/version-set-by]";

    /// <summary><paramref name="model"/> with its authorship annotations as a client wrote them (null: left out).</summary>
    private static V1Alpha1MedicalModel Authors(V1Alpha1MedicalModel model, string? createdBy, string? versionSetBy)
    {
        model.Metadata.Annotations.Remove(ModelAuthorship.CreatedByAnnotation);
        model.Metadata.Annotations.Remove(ModelAuthorship.VersionSetByAnnotation);
        if (createdBy is not null)
        {
            model.Metadata.Annotations[ModelAuthorship.CreatedByAnnotation] = createdBy;
        }
        if (versionSetBy is not null)
        {
            model.Metadata.Annotations[ModelAuthorship.VersionSetByAnnotation] = versionSetBy;
        }
        return model;
    }

    private static V1Alpha1MedicalModel Labelled(V1Alpha1MedicalModel model)
    {
        model.Metadata.Labels["reviewed"] = "true";
        return model;
    }

    private static readonly Action<V1Alpha1MedicalModelSpec> Clinical = s => s.Usage = ModelUsage.Clinical;

    private static readonly Action<V1Alpha1MedicalModelSpec> Pinned = s => s.Source.Digest = TestModels.Digest;

    private static readonly Action<V1Alpha1MedicalModelSpec> ClinicalPinned = s => { Clinical(s); Pinned(s); };

    private static void Without(AdmissionHarness harness) => harness.MutatingWebhook = false;

    private static readonly GuardrailSettings HospitalBuckets = new() { PhiSourcePrefixes = ["pvc://", "s3://hospital-phi-"] };

    private static readonly AdmissionCase[] Cases =
    [
        Allow("a PHI model read from a claim is allowed", () => AdmissionHarness.Create(Model())),
        Invalid("a name with a dot is refused", () => AdmissionHarness.Create(Model(name: "chest.xray")), ["metadata.name"]),
        Invalid("a name of 64 characters is refused", () => AdmissionHarness.Create(Model(name: new string('a', 64))), ["metadata.name"]),
        Invalid("a source with both uri and trainingJobRef is refused",
            () => AdmissionHarness.Create(Model(s => s.Source.TrainingJobRef = new TrainingJobReference { Name = TestJobs.Name })), ["spec.source"]),
        Invalid("a source with neither uri nor trainingJobRef is refused", () => AdmissionHarness.Create(Model(s => s.Source.Uri = null)), ["spec.source"]),
        Invalid("an unsupported URI scheme is refused",
            () => AdmissionHarness.Create(Model(s => { s.DataClassification = DataClassification.DeIdentified; s.Source.Uri = "ftp://models/chest-xray"; })),
            ["spec.source.uri"]),
        Invalid("minReplicas above maxReplicas is refused",
            () => AdmissionHarness.Create(Model(s => s.Autoscaling = new ModelAutoscaling { MinReplicas = 5, MaxReplicas = 4 })), ["spec.autoscaling.minReplicas"]),
        Invalid("a cpu that is not a quantity is refused", () => AdmissionHarness.Create(Model(s => s.Resources.Cpu = "four")), ["spec.resources.cpu"]),
        Invalid("a memory that is not a quantity is refused", () => AdmissionHarness.Create(Model(s => s.Resources.Memory = "16GB")), ["spec.resources.memory"]),
        Invalid("several problems at once are all reported, each with its field",
            () => AdmissionHarness.Create(Model(s =>
            {
                s.Source.Uri = null;
                s.Autoscaling = new ModelAutoscaling { MinReplicas = 5, MaxReplicas = 2 };
                s.Resources.Cpu = "four";
                s.Resources.Memory = "lots";
            }, name: "Chest.Xray")),
            ["metadata.name", "spec.source", "spec.autoscaling.minReplicas", "spec.resources.cpu", "spec.resources.memory"]),
        Invalid("a PHI model from a public hub is refused under the default prefixes",
            () => AdmissionHarness.Create(Model(s => s.Source.Uri = HubUri)), ["spec.source.uri"]),
        Invalid("a LimitedDataSet model from a public hub is refused",
            () => AdmissionHarness.Create(Model(s => { s.DataClassification = DataClassification.LimitedDataSet; s.Source.Uri = HubUri; })), ["spec.source.uri"]),
        Invalid("a PHI model from s3 is refused under the default prefixes",
            () => AdmissionHarness.Create(Model(s => s.Source.Uri = "s3://hospital-phi-models/chest-xray")), ["spec.source.uri"]),
        Allow("a PHI model from a hospital bucket is allowed when its prefix is configured",
            () => AdmissionHarness.Create(Model(s => s.Source.Uri = "s3://hospital-phi-models/chest-xray")), h => h.Settings = HospitalBuckets),
        Allow("a PHI model from a claim is still allowed when more prefixes are configured",
            () => AdmissionHarness.Create(Model()), h => h.Settings = HospitalBuckets),
        Invalid("a PHI model from another bucket is refused when only the hospital's prefix is configured",
            () => AdmissionHarness.Create(Model(s => s.Source.Uri = "s3://public/chest-xray")), ["spec.source.uri"], h => h.Settings = HospitalBuckets),
        Invalid("a PHI model from a claim is refused when no prefix is configured",
            () => AdmissionHarness.Create(Model()), ["spec.source.uri"], h => h.Settings = new GuardrailSettings { PhiSourcePrefixes = [] }),
        Allow("a DeIdentified model from a public hub is allowed",
            () => AdmissionHarness.Create(Model(s => { s.DataClassification = DataClassification.DeIdentified; s.Source.Uri = HubUri; }))),
        Allow("a Public model over https is allowed",
            () => AdmissionHarness.Create(Model(s => { s.DataClassification = DataClassification.Public; s.Source.Uri = "https://models.example.org/chest-xray.onnx"; }))),
        Forbidden("lowering PHI to Public without the declassify permission is refused",
            () => AdmissionHarness.Update(Model(), Model(s => s.DataClassification = DataClassification.Public)), ["spec.dataClassification"]),
        Forbidden("lowering PHI to LimitedDataSet without the declassify permission is refused",
            () => AdmissionHarness.Update(Model(), Model(s => s.DataClassification = DataClassification.LimitedDataSet)), ["spec.dataClassification"]),
        Forbidden("the declassify permission on another kind does not allow lowering a model",
            () => AdmissionHarness.Update(Model(), Model(s => s.DataClassification = DataClassification.Public)), ["spec.dataClassification"],
            h => h.Reviewer.Grant(Declassification.Verb, V1Alpha1Workspace.KubePluralName).Grant("update", V1Alpha1MedicalModel.KubePluralName)),
        Allow("lowering PHI to Public with the declassify permission on medicalmodels is allowed",
            () => AdmissionHarness.Update(Model(), Model(s => s.DataClassification = DataClassification.Public)),
            h => h.Reviewer.Grant(Declassification.Verb, V1Alpha1MedicalModel.KubePluralName)),
        Allow("raising DeIdentified to PHI needs no permission",
            () => AdmissionHarness.Update(Model(s => s.DataClassification = DataClassification.DeIdentified), Model())),
        Forbidden("a forbidden declassification and an invalid value together are forbidden and name both fields",
            () => AdmissionHarness.Update(Model(), Model(s => { s.DataClassification = DataClassification.Public; s.Resources.Cpu = "four"; })),
            ["spec.resources.cpu", "spec.dataClassification"]),
        Allow("an UPDATE that leaves an invalid stored spec unchanged (a new label) is allowed",
            () =>
            {
                var stored = Model(s => { s.Resources.Cpu = "four"; s.Source.Uri = HubUri; });
                var labelled = Model(s => { s.Resources.Cpu = "four"; s.Source.Uri = HubUri; });
                labelled.Metadata.Labels["reviewed"] = "true";
                return AdmissionHarness.Update(stored, labelled);
            }),
        Invalid("an UPDATE that changes an invalid stored spec is checked again",
            () => AdmissionHarness.Update(Model(s => s.Resources.Cpu = "four"), Model(s => { s.Resources.Cpu = "four"; s.Replicas = 3; })),
            ["spec.resources.cpu"]),
        Invalid("a Public model registered from a PHI TrainingJob is refused",
            () => AdmissionHarness.Create(Model(FromJob(DataClassification.Public))), ["spec.dataClassification"],
            h => h.Cluster.WithJob(TestJobs.ChestXray())),
        Invalid("a DeIdentified model registered from a LimitedDataSet TrainingJob is refused",
            () => AdmissionHarness.Create(Model(FromJob(DataClassification.DeIdentified))), ["spec.dataClassification"],
            h => h.Cluster.WithJob(TestJobs.ChestXray(s => s.DataClassification = DataClassification.LimitedDataSet))),
        Allow("a PHI model registered from a PHI TrainingJob is allowed",
            () => AdmissionHarness.Create(Model(FromJob(DataClassification.PHI))), h => h.Cluster.WithJob(TestJobs.ChestXray())),
        Allow("a PHI model registered from a Public TrainingJob is allowed",
            () => AdmissionHarness.Create(Model(FromJob(DataClassification.PHI))),
            h => h.Cluster.WithJob(TestJobs.ChestXray(s => s.DataClassification = DataClassification.Public))),
        Allow("a Public model whose TrainingJob does not exist (yet) is allowed",
            () => AdmissionHarness.Create(Model(FromJob(DataClassification.Public)))),
        Forbidden("without the mutating webhook a creator the client invents is refused",
            () => AdmissionHarness.Create(Authors(Model(), "mallory", AdmissionHarness.User)), [CreatedByField], Without),
        Forbidden("without the mutating webhook a model created with no authors is refused",
            () => AdmissionHarness.Create(Model()), [CreatedByField, VersionSetByField], Without),
        Allow("without the mutating webhook a model whose authors are the requester is allowed",
            () => AdmissionHarness.Create(Authors(Model(), AdmissionHarness.User, AdmissionHarness.User)), Without),
        Allow("authors a client invents are replaced by the mutating webhook",
            () => AdmissionHarness.Create(Authors(Model(), "mallory", "mallory"))),
        Forbidden("a metadata-only update that changes the recorded creator is refused",
            () => AdmissionHarness.Update(TestApprovals.ClinicalModel(), Labelled(TestApprovals.ClinicalModel(createdBy: AdmissionHarness.User))),
            [CreatedByField], Without),
        Forbidden("changing the version setter by hand without changing the version is refused",
            () => AdmissionHarness.Update(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(s => s.Replicas = 4, versionSetBy: AdmissionHarness.User)),
            [VersionSetByField], Without),
        Forbidden("without the mutating webhook a version change that keeps the previous setter is refused",
            () => AdmissionHarness.Update(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(s => s.Version = "1.5.0")),
            [VersionSetByField], Without),
        Allow("a version change is recorded as the requester's by the mutating webhook",
            () => AdmissionHarness.Update(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(s => s.Version = "1.5.0"))),
        Forbidden("a creator invented for a model stored before the webhook is refused",
            () => AdmissionHarness.Update(Model(), Labelled(Authors(Model(), AdmissionHarness.User, null))), [CreatedByField], Without),
        Allow("a model stored before the webhook can still be changed without a version change",
            () => AdmissionHarness.Update(Model(), Model(s => s.Replicas = 4)), Without),
        Invalid("a Clinical model without a digest is refused", () => AdmissionHarness.Create(Model(Clinical)), ["spec.source.digest"]),
        Allow("a Clinical model pinned by digest is allowed", () => AdmissionHarness.Create(Model(ClinicalPinned))),
        Invalid("making a Research model Clinical without a digest is refused",
            () => AdmissionHarness.Update(Model(), Model(Clinical)), ["spec.source.digest"]),
        Invalid("removing the digest of a Clinical model is refused",
            () => AdmissionHarness.Update(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(s => s.Source.Digest = null)), ["spec.source.digest"]),
        Allow("a metadata-only update of a Clinical model stored without a digest is allowed",
            () => AdmissionHarness.Update(Model(Clinical), Labelled(Model(Clinical)))),
        Allow("raising Research to Clinical with a digest needs no permission",
            () => AdmissionHarness.Update(Model(Pinned), Model(ClinicalPinned))),
        Forbidden("lowering Clinical to Research without the declassify permission is refused",
            () => AdmissionHarness.Update(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(s => s.Usage = ModelUsage.Research)), ["spec.usage"]),
        Forbidden("the declassify permission on workspaces does not allow lowering a model's usage",
            () => AdmissionHarness.Update(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(s => s.Usage = ModelUsage.Research)), ["spec.usage"],
            h => h.Reviewer.Grant(Declassification.Verb, V1Alpha1Workspace.KubePluralName)),
        Allow("lowering Clinical to Research with the declassify permission on medicalmodels is allowed",
            () => AdmissionHarness.Update(TestApprovals.ClinicalModel(), TestApprovals.ClinicalModel(s => s.Usage = ModelUsage.Research)),
            h => h.Reviewer.Grant(Declassification.Verb, V1Alpha1MedicalModel.KubePluralName)),
        Forbidden("lowering Clinical to Research and PHI to Public without the permission names both fields",
            () => AdmissionHarness.Update(TestApprovals.ClinicalModel(),
                TestApprovals.ClinicalModel(s => { s.Usage = ModelUsage.Research; s.DataClassification = DataClassification.Public; })),
            ["spec.dataClassification", "spec.usage"]),
        Allow("deleting a model is allowed", () => AdmissionHarness.Delete(Model())),
        Allow("deleting a model in the foreground is allowed", () => AdmissionHarness.Delete(Model(), "Foreground")),
        Allow("deleting a model whose stored spec is invalid is allowed", () => AdmissionHarness.Delete(Model(s => s.Source.Uri = HubUri))),
    ];

    public static TheoryData<Rule> Rules() => Names(Cases);

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Each_rule_allows_or_refuses_with_every_field_at_fault_and_its_status_code(Rule rule) =>
        await AdmissionAssert.RowAsync(Cases, rule.Description);

    [Fact]
    public void Every_row_of_the_table_has_its_own_description() =>
        Assert.Equal(Cases.Length, Cases.Select(c => c.Description).Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public async Task Declassification_asks_rbac_for_the_declassify_verb_on_this_model()
    {
        var harness = new AdmissionHarness();
        harness.Reviewer.Grant(Declassification.Verb, V1Alpha1MedicalModel.KubePluralName);

        var response = await harness.DecideAsync(AdmissionHarness.Update(Model(), Model(s => s.DataClassification = DataClassification.DeIdentified)));

        Assert.True(response.Allowed);
        var (user, resource) = Assert.Single(harness.Reviewer.Reviews);
        Assert.Equal("alice", user.Username);
        Assert.Equal(["system:authenticated"], user.Groups);
        Assert.Equal(new ResourceAttributes("declassify", "medops.io", "medicalmodels", TestModels.Namespace, TestModels.Name), resource);
    }

    [Theory]
    [InlineData(DataClassification.PHI, DataClassification.PHI)]
    [InlineData(DataClassification.DeIdentified, DataClassification.PHI)]
    [InlineData(DataClassification.Public, DataClassification.LimitedDataSet)]
    public async Task Keeping_or_raising_the_classification_asks_rbac_nothing(DataClassification before, DataClassification after)
    {
        var harness = new AdmissionHarness();

        var response = await harness.DecideAsync(AdmissionHarness.Update(
            Model(s => s.DataClassification = before), Model(s => { s.DataClassification = after; s.Replicas = 5; })));

        Assert.True(response.Allowed, response.Status?.Message);
        Assert.Empty(harness.Reviewer.Reviews);
    }

    [Fact]
    public async Task A_refused_declassification_names_the_verb_the_user_and_what_to_do()
    {
        var harness = new AdmissionHarness();
        var request = AdmissionHarness.Update(Model(), Model(s => s.DataClassification = DataClassification.Public));

        var response = await harness.DecideAsync(request);

        var message = response.Status!.Message;
        Assert.StartsWith("MedicalModel.medops.io \"chest-xray\" is forbidden: ", message, StringComparison.Ordinal);
        Assert.Contains("lowering PHI to Public needs the \"declassify\" permission on medicalmodels.medops.io, which alice does not have", message, StringComparison.Ordinal);
        var cause = Assert.Single(response.Status.Details!.Causes);
        Assert.Equal("FieldValueForbidden", cause.Reason);
        Assert.StartsWith("lowering PHI to Public", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_source_names_the_allowed_prefixes_and_the_setting()
    {
        var harness = new AdmissionHarness { Settings = HospitalBuckets };

        var response = await harness.DecideAsync(AdmissionHarness.Create(Model(s => s.Source.Uri = "s3://public/chest-xray")));

        var message = response.Status!.Message;
        Assert.StartsWith("MedicalModel.medops.io \"chest-xray\" is invalid: spec.source.uri: \"s3://public/chest-xray\" is not an allowed source for PHI data", message, StringComparison.Ordinal);
        Assert.Contains("use a URI starting with \"pvc://\", \"s3://hospital-phi-\" (guardrails.phiSourcePrefixes)", message, StringComparison.Ordinal);
        Assert.Contains("lower spec.dataClassification if the model holds no patient data", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_prefix_configured_the_refusal_says_none_is()
    {
        var harness = new AdmissionHarness { Settings = new GuardrailSettings { PhiSourcePrefixes = [] } };

        var response = await harness.DecideAsync(AdmissionHarness.Create(Model()));

        Assert.Contains("none is configured (guardrails.phiSourcePrefixes is empty)", response.Status!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_problems_are_joined_into_one_message_in_field_order()
    {
        var harness = new AdmissionHarness();

        var response = await harness.DecideAsync(AdmissionHarness.Create(Model(s => { s.Resources.Cpu = "four"; s.Resources.Memory = "lots"; })));

        Assert.Equal(
            "MedicalModel.medops.io \"chest-xray\" is invalid: "
            + "spec.resources.cpu \"four\" is not a Kubernetes quantity: write a number with an optional suffix, such as 4, \"500m\" or \"1.5\".; "
            + "spec.resources.memory \"lots\" is not a Kubernetes quantity: write a number with an optional suffix, such as 16Gi or 512Mi.",
            response.Status!.Message);
    }

    [Fact]
    public async Task A_model_less_sensitive_than_its_job_is_told_the_jobs_classification()
    {
        var harness = new AdmissionHarness();
        harness.Cluster.WithJob(TestJobs.ChestXray());

        var response = await harness.DecideAsync(AdmissionHarness.Create(Model(FromJob(DataClassification.Public))));

        Assert.Equal([$"{TestJobs.Namespace}/{TestJobs.Name}"], harness.Cluster.JobLookups);
        var cause = Assert.Single(response.Status!.Details!.Causes);
        Assert.Equal("FieldValueInvalid", cause.Reason);
        Assert.Equal(
            "Public is less sensitive than the PHI of TrainingJob \"cxr-train\", whose output this model serves: a model keeps at least the classification of the data it was trained on",
            cause.Message);
    }

    [Fact]
    public async Task A_model_read_from_a_uri_looks_no_job_up()
    {
        var harness = new AdmissionHarness();

        var response = await harness.DecideAsync(AdmissionHarness.Create(Model()));

        Assert.True(response.Allowed);
        Assert.Empty(harness.Cluster.JobLookups);
    }

    [Fact]
    public async Task An_object_that_does_not_decode_is_refused_rather_than_let_through()
    {
        var harness = new AdmissionHarness();
        var request = AdmissionHarness.Create(Model());
        var json = JsonNode.Parse(request.Object!.Value.GetRawText())!;
        json["spec"]!["dataClassification"] = "TopSecret";
        request.Object = AdmissionHarness.Element(json);

        var response = await harness.DecideAsync(request);

        Assert.False(response.Allowed);
        Assert.Equal(500, response.Status!.Code);
        Assert.StartsWith("MedicalModel.medops.io \"chest-xray\" could not be checked, so it is refused: ", response.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_author_is_told_to_leave_it_out_of_the_manifest()
    {
        var harness = new AdmissionHarness { MutatingWebhook = false };

        var response = await harness.DecideAsync(AdmissionHarness.Create(Authors(Model(), "mallory", AdmissionHarness.User)));

        Assert.Equal(403, response.Status!.Code);
        var cause = Assert.Single(response.Status.Details!.Causes);
        Assert.Equal((CreatedByField, "FieldValueForbidden"), (cause.Field, cause.Reason));
        Assert.StartsWith("is set by MedOps from the authenticated user; remove it from your manifest", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_author_says_that_the_mutating_webhook_did_not_run()
    {
        var harness = new AdmissionHarness { MutatingWebhook = false };

        var response = await harness.DecideAsync(AdmissionHarness.Create(Model()));

        Assert.All(response.Status!.Details!.Causes, c => Assert.Contains("the MedOps mutating webhook did not run", c.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Clinical_model_without_a_digest_is_told_why_it_needs_one()
    {
        var response = await new AdmissionHarness().DecideAsync(AdmissionHarness.Create(Model(Clinical)));

        Assert.Equal(
            "a Clinical model must pin its weights with spec.source.digest: there is nothing to approve otherwise",
            Assert.Single(response.Status!.Details!.Causes).Message);
    }

    [Fact]
    public async Task Lowering_the_usage_asks_rbac_for_declassify_on_this_model_and_says_what_is_missing()
    {
        var harness = new AdmissionHarness();

        var response = await harness.DecideAsync(AdmissionHarness.Update(TestApprovals.ClinicalModel(),
            TestApprovals.ClinicalModel(s => s.Usage = ModelUsage.Research)));

        var (_, resource) = Assert.Single(harness.Reviewer.Reviews);
        Assert.Equal(new ResourceAttributes("declassify", "medops.io", "medicalmodels", TestModels.Namespace, TestModels.Name), resource);
        var cause = Assert.Single(response.Status!.Details!.Causes);
        Assert.Equal(("spec.usage", "FieldValueForbidden"), (cause.Field, cause.Reason));
        Assert.StartsWith("lowering Clinical to Research needs the \"declassify\" permission on medicalmodels.medops.io, which alice does not have", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raising_the_usage_asks_rbac_nothing()
    {
        var harness = new AdmissionHarness();

        var response = await harness.DecideAsync(AdmissionHarness.Update(Model(Pinned), Model(ClinicalPinned)));

        Assert.True(response.Allowed, response.Status?.Message);
        Assert.Empty(harness.Reviewer.Reviews);
    }

    [Fact]
    public void The_validators_serve_every_medops_kind() =>
        Assert.Equal(
            ["MedicalModel.medops.io", "ModelApproval.medops.io", "TrainingJob.medops.io", "Workspace.medops.io"],
            new AdmissionHarness().Dispatcher().Kinds.Order(StringComparer.Ordinal));
}
