namespace MedOps.IntegrationTests.Node;

/// <summary>
/// Manifests of plain pods for the real node, from the images hack/images.sh builds: they
/// tolerate the real node's taint and select it, and run under the restricted Pod Security
/// profile (non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp).
/// </summary>
internal static class RealNodePods
{
    /// <summary>The real node's name (hack/node-lib.sh).</summary>
    public const string NodeName = "medops-worker";

    public const string TrainerImage = "localhost/medops/sample-trainer:0.1.0";
    public const string ServerImage = "localhost/medops/sample-server:0.1.0";

    /// <summary>One benign case of the breast-cancer data set (as images/sample-model/predict.py sends it).</summary>
    public static readonly double[] SampleRow =
    [
        13.54, 14.36, 87.46, 566.3, 0.09779, 0.08129, 0.06664, 0.04781, 0.1885, 0.05766,
        0.2699, 0.7886, 2.058, 23.56, 0.008462, 0.0146, 0.02387, 0.01315, 0.0198, 0.0023,
        15.11, 19.26, 99.7, 711.2, 0.144, 0.1773, 0.239, 0.1288, 0.2977, 0.07259,
    ];

    /// <summary>spec.nodeSelector of a MedOps resource whose pods must run on the real node (JSON).</summary>
    public const string NodeSelectorJson = """{"medops.io/node": "real"}""";

    /// <summary>spec.tolerations of a MedOps resource whose pods must run on the real node (JSON).</summary>
    public const string TolerationsJson = """[{"key": "medops.io/real-node", "operator": "Exists", "effect": "NoSchedule"}]""";

    private const string Placement = """
          nodeSelector: {medops.io/node: real}
          tolerations: [{key: medops.io/real-node, operator: Exists, effect: NoSchedule}]
          terminationGracePeriodSeconds: 2
          enableServiceLinks: false
          securityContext: {runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: {type: RuntimeDefault}}
        """;

    private const string Restricted = "{allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}";

    /// <summary>
    /// A pod whose init container trains the sample model into an emptyDir and whose server
    /// serves it on 8080 with the Open Inference Protocol's readiness probe; plus its Service.
    /// </summary>
    public static string TrainAndServe(string name, string ns) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
          labels: {app: "{{name}}"}
        spec:
        {{Placement}}
          volumes: [{name: model, emptyDir: {} }]
          initContainers:
          - name: train
            image: {{TrainerImage}}
            imagePullPolicy: Never
            env: [{name: MEDOPS_OUTPUT_DIR, value: /mnt/models}, {name: RANK, value: "0"}, {name: WORLD_SIZE, value: "1"}]
            volumeMounts: [{name: model, mountPath: /mnt/models}]
            securityContext: {{Restricted}}
            resources: {limits: {cpu: "1", memory: 512Mi} }
          containers:
          - name: server
            image: {{ServerImage}}
            imagePullPolicy: Never
            env: [{name: MODEL_DIR, value: /mnt/models}, {name: MEDOPS_MODEL_NAME, value: {{name}}}]
            ports: [{name: http, containerPort: 8080}]
            readinessProbe: {httpGet: {path: /v2/health/ready, port: http}, periodSeconds: 2}
            volumeMounts: [{name: model, mountPath: /mnt/models, readOnly: true}]
            securityContext: {{Restricted}}
            resources: {limits: {cpu: "1", memory: 512Mi} }
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {{name}}
          namespace: {{ns}}
        spec:
          selector: {app: "{{name}}"}
          ports: [{name: http, port: 8080, targetPort: http}]
        """;

    /// <summary>A claim (bound by the simulator) and a trainer that writes its model into it, as uid 65532.</summary>
    public static string TrainerOnClaim(string name, string claim) => $$"""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: {{claim}}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi} }
        ---
        {{TrainerPod(name, claim, "")}}
        """;

    /// <summary>A trainer pod that writes its model into <paramref name="subPath"/> of an existing claim, as uid 65532.</summary>
    public static string TrainerPod(string name, string claim, string subPath) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
        spec:
        {{Placement}}
          restartPolicy: Never
          volumes: [{name: output, persistentVolumeClaim: {claimName: {{claim}}} }]
          containers:
          - name: worker
            image: {{TrainerImage}}
            imagePullPolicy: Never
            env: [{name: MEDOPS_OUTPUT_DIR, value: /output}, {name: RANK, value: "0"}, {name: WORLD_SIZE, value: "1"}]
            volumeMounts: [{name: output, mountPath: /output, subPath: "{{subPath}}"}]
            securityContext: {{Restricted}}
            resources: {limits: {cpu: "1", memory: 512Mi} }
        """;

    /// <summary>A training worker that really exits 1 (the trainer's failure injection), never restarted.</summary>
    public static string FailingWorker(string name) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
        spec:
        {{Placement}}
          restartPolicy: Never
          volumes: [{name: output, emptyDir: {} }]
          containers:
          - name: worker
            image: {{TrainerImage}}
            imagePullPolicy: Never
            env: [{name: MEDOPS_OUTPUT_DIR, value: /output}, {name: MEDOPS_SAMPLE_FAIL, value: "1"}, {name: RANK, value: "0"}, {name: WORLD_SIZE, value: "1"}]
            volumeMounts: [{name: output, mountPath: /output}]
            securityContext: {{Restricted}}
            resources: {limits: {cpu: 500m, memory: 256Mi} }
        """;
}
