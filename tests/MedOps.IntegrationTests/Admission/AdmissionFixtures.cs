namespace MedOps.IntegrationTests.Admission;

/// <summary>
/// One request the webhook must refuse: the YAML applied, the field its refusal must name, and
/// for updates the valid object applied first (<see cref="Before"/>).
/// </summary>
public sealed record InvalidFixture(string Description, string Yaml, string Field, string? Before = null)
{
    public override string ToString() => Description;
}

/// <summary>
/// Resources as YAML, valid by default, with one thing changed per fixture. The objects that
/// fixtures build on (claims, a job, a workspace) are in <see cref="Setup"/>.
/// </summary>
internal static class AdmissionFixtures
{
    /// <summary>A claim whose StorageClass is not on the PHI list (the class need not exist: only its name is checked).</summary>
    public const string PlainClaim = "plain-claim";

    /// <summary>The PHI job fixtures reference and update.</summary>
    public const string BaseJob = "base-job";

    /// <summary>The workspace fixtures update.</summary>
    public const string BaseWorkspace = "base-ws";

    /// <summary>What the fixtures need to exist: the samples' claims, a claim on an unlisted class, a PHI job, a workspace.</summary>
    public static readonly string[] Setup =
    [
        Claim("models", null), Claim("cxr-2024", null), Claim(PlainClaim, "plain"),
        Job(BaseJob),
        Workspace(BaseWorkspace, disk: "size: 20Gi"),
    ];

    public static string Claim(string name, string? storageClass) => $$"""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: {{name}}}
        spec:
          accessModes: [ReadWriteMany]
          {{StorageClassLine(storageClass)}}
          resources:
            requests: {storage: 10Gi}
        """;

    private static string StorageClassLine(string? storageClass) => storageClass is null ? "" : $"storageClassName: {storageClass}";

    public static string Model(
        string name = "mm", string classification = "DeIdentified", string source = "uri: s3://hospital-models/m/1.0.0",
        string cpu = "\"2\"", string memory = "4Gi", string extra = "", string gpu = "") => $$"""
        apiVersion: medops.io/v1alpha1
        kind: MedicalModel
        metadata: {name: {{name}}}
        spec:
          modality: Imaging
          version: "1.0.0"
          dataClassification: {{classification}}
          format: ONNX
          source: {{{source}}}
          runtime: {image: nvcr.io/nvidia/tritonserver:24.08-py3, port: 8000}
          resources: {cpu: {{cpu}}, memory: {{memory}}{{gpu}}}
          {{extra}}
        """;

    public static string Job(
        string name, string classification = "PHI", string outputClaim = "models", string outputPath = "m/1",
        string dataset = "cxr-2024", string templateClassification = "PHI", int workers = 2, string cpu = "\"2\"") => $$"""
        apiVersion: medops.io/v1alpha1
        kind: TrainingJob
        metadata: {name: {{name}}}
        spec:
          image: pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime
          workers: {{workers}}
          suspend: true
          resources: {cpu: {{cpu}}, memory: 4Gi}
          dataset: {claimName: {{dataset}}}
          output: {claimName: {{outputClaim}}, path: {{outputPath}}}
          dataClassification: {{classification}}
          model:
            name: trained-model
            template:
              modality: Imaging
              version: "1.0.0"
              dataClassification: {{templateClassification}}
              format: TorchScript
              runtime: {image: pytorch/torchserve:0.11.0-cpu, port: 8080}
              resources: {cpu: "1", memory: 2Gi}
        """;

    public static string Workspace(
        string name, string classification = "DeIdentified", string disk = "size: 20Gi",
        string image = "containerDisk: quay.io/containerdisks/ubuntu:22.04", string memory = "1Gi") => $$"""
        apiVersion: medops.io/v1alpha1
        kind: Workspace
        metadata: {name: {{name}}}
        spec:
          owner: dr.smith@hospital.example
          cpu: 1
          memory: {{memory}}
          disk: {{{disk}}}
          image: {{{image}}}
          running: false
          dataClassification: {{classification}}
        """;

    /// <summary>Every invalid fixture: creates, then updates of <see cref="Setup"/>'s objects.</summary>
    public static IReadOnlyList<InvalidFixture> All { get; } =
    [
        // MedicalModel: shape.
        new("model name with a dot", Model(name: "chest.xray"), "metadata.name"),
        new("model with both a URI and a job", Model(source: $"uri: s3://hospital-models/m/1, trainingJobRef: {{name: {BaseJob}}}"), "spec.source"),
        new("model with no source", Model(source: ""), "spec.source"),
        new("pvc URI with an empty path element", Model(source: "uri: pvc://models//chest/1"), "spec.source.uri"),
        new("pvc URI climbing out of its claim", Model(source: "uri: pvc://models/../other/1"), "spec.source.uri"),
        new("s3 URI without a bucket", Model(source: "uri: s3:///key"), "spec.source.uri"),
        new("URI with a blank", Model(source: "uri: \"s3://hospital-models/a b\""), "spec.source.uri"),
        new("autoscaling minimum above maximum", Model(extra: "autoscaling: {minReplicas: 3, maxReplicas: 2}"), "spec.autoscaling.minReplicas"),
        new("negative CPU", Model(cpu: "\"-2\""), "spec.resources.cpu"),
        new("memory that is not a quantity", Model(memory: "lots"), "spec.resources.memory"),
        new("GPU memory floor that is not a quantity", Model(gpu: ", gpu: {count: 1, minMemory: forty}"), "spec.resources.gpu.minMemory"),
        new("node selector value with a blank", Model(extra: "nodeSelector: {medops.io/pool: \"gpu pool\"}"), "spec.nodeSelector.medops.io/pool"),
        new("toleration of any value with a value", Model(extra: "tolerations: [{key: dedicated, operator: Exists, value: radiology}]"), "spec.tolerations[0].value"),
        // MedicalModel: PHI guardrails.
        new("PHI model from a public hub", Model(classification: "PHI", source: "uri: https://huggingface.co/org/chest-xray"), "spec.source.uri"),
        new("PHI model from a bucket not on the list", Model(classification: "PHI", source: "uri: s3://public-models/chest/1"), "spec.source.uri"),
        new("PHI model from a web server", Model(classification: "PHI", source: "uri: https://models.example.com/chest/1"), "spec.source.uri"),
        new("limited data set model from Google Cloud Storage", Model(classification: "LimitedDataSet", source: "uri: gs://bucket/chest/1"), "spec.source.uri"),
        new("Public model serving a PHI job's output", Model(classification: "Public", source: $"trainingJobRef: {{name: {BaseJob}}}"), "spec.dataClassification"),
        // TrainingJob.
        new("job name with a dot", Job("cxr.train"), "metadata.name"),
        new("job name too long for its worker hostnames", Job(new string('j', 60), workers: 12), "metadata.name"),
        new("job CPU that is not a quantity", Job("bad-cpu", cpu: "lots"), "spec.resources.cpu"),
        new("PHI job whose output claim does not exist", Job("no-claim", outputClaim: "missing-claim"), "spec.output.claimName"),
        new("PHI job writing to an unencrypted class", Job("plain-output", outputClaim: PlainClaim), "spec.output.claimName"),
        new("limited data set job writing to an unencrypted class", Job("lds-plain", classification: "LimitedDataSet", outputClaim: PlainClaim, templateClassification: "LimitedDataSet"), "spec.output.claimName"),
        new("PHI job registering a Public model", Job("public-model", templateClassification: "Public"), "spec.model.template.dataClassification"),
        new("limited data set job registering a de-identified model", Job("deid-model", classification: "LimitedDataSet", templateClassification: "DeIdentified"), "spec.model.template.dataClassification"),
        new("job whose output is moved", Job(BaseJob, outputPath: "m/2"), "spec.output", Before: Job(BaseJob)),
        new("job whose dataset is swapped", Job(BaseJob, dataset: "models"), "spec.dataset", Before: Job(BaseJob)),
        // Workspace.
        new("workspace name with a dot", Workspace("dr.smith"), "metadata.name"),
        new("workspace with no image", Workspace("no-image", image: ""), "spec.image"),
        new("workspace with two images", Workspace("two-images", image: "containerDisk: quay.io/containerdisks/ubuntu:22.04, http: https://images.example.com/u.qcow2"), "spec.image"),
        new("workspace memory that is not a quantity", Workspace("bad-memory", memory: "big"), "spec.memory"),
        new("workspace with a zero disk", Workspace("zero-disk", disk: "size: \"0\""), "spec.disk.size"),
        new("PHI workspace on an unencrypted class", Workspace("phi-plain", classification: "PHI", disk: "size: 20Gi, storageClassName: plain"), "spec.disk.storageClassName"),
        new("limited data set workspace on an unencrypted class", Workspace("lds-plain", classification: "LimitedDataSet", disk: "size: 20Gi, storageClassName: plain"), "spec.disk.storageClassName"),
        new("workspace disk shrunk", Workspace(BaseWorkspace, disk: "size: 10Gi"), "spec.disk.size", Before: Workspace(BaseWorkspace)),
        new("workspace disk moved to another class", Workspace(BaseWorkspace, disk: "size: 20Gi, storageClassName: medops-simulated"), "spec.disk.storageClassName", Before: Workspace(BaseWorkspace)),
    ];
}
