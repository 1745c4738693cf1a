using MedOps.Testing;

namespace MedOps.IntegrationTests.Api;

/// <summary>
/// The API server itself rejects invalid specs at admission, naming the field, so GitOps tools
/// and kubectl users see the mistake at apply time instead of as a Stalled resource later.
/// Each case changes one field of a valid minimal object.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ValidationTests(LocalCluster cluster)
{
    // Dry runs store nothing, so they share the default namespace instead of creating one each.
    private const string Namespace = "default";

    public static TheoryData<string, string, string?, string> InvalidSpecs => new()
    {
        // kind, field path, new JSON value (null removes the field), expected error text
        { "MedicalModel", "spec.modality", "\"Xray\"", "spec.modality: Unsupported value: \"Xray\"" },
        { "MedicalModel", "spec.modality", null, "spec.modality: Required value" },
        { "MedicalModel", "spec.version", null, "spec.version: Required value" },
        { "MedicalModel", "spec.version", "\"\"", "spec.version: Invalid value" },
        { "MedicalModel", "spec.usage", "\"Production\"", "spec.usage: Unsupported value: \"Production\"" },
        { "MedicalModel", "spec.dataClassification", "\"Secret\"", "spec.dataClassification: Unsupported value: \"Secret\"" },
        { "MedicalModel", "spec.format", "\"PMML\"", "spec.format: Unsupported value: \"PMML\"" },
        { "MedicalModel", "spec.source", null, "spec.source: Required value" },
        { "MedicalModel", "spec.source.uri", "\"ftp://models/x\"", "spec.source.uri: Invalid value: \"ftp://models/x\"" },
        { "MedicalModel", "spec.source.digest", "\"sha256:abc\"", "spec.source.digest: Invalid value: \"sha256:abc\"" },
        { "MedicalModel", "spec.source.trainingJobRef", """{"name": "Bad_Name"}""", "spec.source.trainingJobRef.name: Invalid value: \"Bad_Name\"" },
        { "MedicalModel", "spec.runtime.image", null, "spec.runtime.image: Required value" },
        { "MedicalModel", "spec.runtime.port", "70000", "spec.runtime.port: Invalid value: 70000" },
        { "MedicalModel", "spec.runtime.port", "0", "spec.runtime.port: Invalid value: 0" },
        { "MedicalModel", "spec.runtime.readinessPath", "\"health\"", "spec.runtime.readinessPath: Invalid value: \"health\"" },
        { "MedicalModel", "spec.runtime.env", """[{"value": "x"}]""", "spec.runtime.env.name: Required value" },
        { "MedicalModel", "spec.resources.cpu", "\"lots\"", "spec.resources.cpu: Invalid value: \"lots\"" },
        { "MedicalModel", "spec.resources.memory", null, "spec.resources.memory: Required value" },
        { "MedicalModel", "spec.resources.gpu", """{"count": -1}""", "spec.resources.gpu.count: Invalid value: -1" },
        { "MedicalModel", "spec.resources.gpu", """{"count": 1, "minMemory": "40 GB"}""", "spec.resources.gpu.minMemory: Invalid value: \"40 GB\"" },
        { "MedicalModel", "spec.replicas", "-1", "spec.replicas: Invalid value: -1" },
        // Zero would never be Ready (a server with no replica serves nothing): suspend is the way to zero.
        { "MedicalModel", "spec.replicas", "0", "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1" },
        { "MedicalModel", "spec.autoscaling", """{"minReplicas": 1}""", "spec.autoscaling.maxReplicas: Required value" },
        { "MedicalModel", "spec.autoscaling", """{"maxReplicas": 4, "targetCPUUtilizationPercentage": 0}""", "spec.autoscaling.targetCPUUtilizationPercentage: Invalid value: 0" },
        { "TrainingJob", "spec.image", null, "spec.image: Required value" },
        { "TrainingJob", "spec.workers", "0", "spec.workers: Invalid value: 0" },
        { "TrainingJob", "spec.workers", "129", "spec.workers: Invalid value: 129" },
        { "TrainingJob", "spec.backoffLimit", "-1", "spec.backoffLimit: Invalid value: -1" },
        { "TrainingJob", "spec.dataset", null, "spec.dataset: Required value" },
        { "TrainingJob", "spec.dataset.claimName", "\"CXR_2024\"", "spec.dataset.claimName: Invalid value: \"CXR_2024\"" },
        { "TrainingJob", "spec.output.claimName", null, "spec.output.claimName: Required value" },
        { "TrainingJob", "spec.output.path", "\"/abs\"", "spec.output.path: Invalid value: \"/abs\"" },
        { "TrainingJob", "spec.dataClassification", "\"Secret\"", "spec.dataClassification: Unsupported value: \"Secret\"" },
        { "TrainingJob", "spec.activeDeadlineSeconds", "0", "spec.activeDeadlineSeconds: Invalid value: 0" },
        { "TrainingJob", "spec.model", """{"name": "chest-xray", "template": {"version": "1", "runtime": {"image": "srv"}, "resources": {"cpu": 1, "memory": "1Gi"}}}""", "spec.model.template.modality: Required value" },
        { "TrainingJob", "spec.model", """{"name": "Chest_Xray", "template": {"modality": "Text", "version": "1", "runtime": {"image": "srv"}, "resources": {"cpu": 1, "memory": "1Gi"}}}""", "spec.model.name: Invalid value: \"Chest_Xray\"" },
        { "Workspace", "spec.owner", null, "spec.owner: Required value" },
        { "Workspace", "spec.cpu", "0", "spec.cpu: Invalid value: 0" },
        { "Workspace", "spec.cpu", "65", "spec.cpu: Invalid value: 65" },
        { "Workspace", "spec.memory", "\"1 GB\"", "spec.memory: Invalid value: \"1 GB\"" },
        { "Workspace", "spec.disk", """{"size": "big"}""", "spec.disk.size: Invalid value: \"big\"" },
        { "Workspace", "spec.image", null, "spec.image: Required value" },
        { "Workspace", "spec.image", """{"pvc": {"name": "ubuntu-22"}}""", "spec.image.pvc.namespace: Required value" },
        { "Workspace", "spec.image", """{"http": "ftp://images.example/x.qcow2"}""", "spec.image.http: Invalid value" },
        { "Workspace", "spec.gpu", """{"count": 1}""", "spec.gpu.deviceName: Required value" },
        { "Workspace", "spec.dataClassification", "\"Secret\"", "spec.dataClassification: Unsupported value: \"Secret\"" },
    };

    [Theory]
    [InlineData("MedicalModel")]
    [InlineData("TrainingJob")]
    [InlineData("Workspace")]
    public async Task The_minimal_object_each_invalid_case_starts_from_is_accepted(string kind)
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);

        var result = await DryRunAsync(Manifests.Minimal(kind, "valid", Namespace).ToJsonString());

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public async Task An_invalid_spec_is_rejected_at_admission_naming_the_field(string kind, string path, string? value, string expectedError)
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        var manifest = Manifests.Minimal(kind, "invalid", Namespace).With(path, value);

        var result = await DryRunAsync(manifest.ToJsonString());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"The {kind} \"invalid\" is invalid", result.StandardError);
        Assert.Contains(expectedError, result.StandardError);
    }

    // --validate=false turns off kubectl's own schema check, so the API server is what rejects:
    // the same check Argo CD, Flux and server-side apply clients meet.
    private Task<ProcessResult> DryRunAsync(string manifest) =>
        MedOpsCrds.KubectlOnManifestAsync(cluster, manifest, "apply", "--dry-run=server", "--validate=false");
}
