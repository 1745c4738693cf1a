using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.MedicalModels.Builders;

/// <summary>
/// The MedicalModel's Deployment <c>&lt;name&gt;</c>: one <c>server</c> container from
/// <c>spec.runtime</c> with the model read-only at <c>/mnt/models</c>, and a
/// <c>model-initializer</c> init container that downloads the model into an emptyDir (or, for a
/// claim pinned by a digest, verifies it).
/// </summary>
public static class ModelDeploymentBuilder
{
    /// <summary>The inference server container.</summary>
    public const string ServerContainerName = "server";

    /// <summary>The init container that downloads or verifies the model.</summary>
    public const string InitializerContainerName = ModelInitializerContract.ContainerName;

    /// <summary>The volume of <c>spec.source.credentialsSecretRef</c>, mounted in the initializer only.</summary>
    public const string CredentialsVolumeName = "model-credentials";

    /// <summary>Where the initializer finds the credentials (<c>MODEL_CREDENTIALS_DIR</c>).</summary>
    public const string CredentialsMountPath = "/var/run/medops/credentials";

    /// <summary>The initializer's variable naming the credentials folder.</summary>
    public const string CredentialsDirEnv = "MODEL_CREDENTIALS_DIR";

    /// <summary>0444: readable by the initializer's non-root UID.</summary>
    public const int CredentialsFileMode = 0x124;

    /// <summary>The initializer's command that fetches and verifies (its other one, digest, is for users).</summary>
    public const string InitializerCommand = ModelInitializerContract.FetchCommand;

    /// <summary>The name of the serving port on the container (and the Service's target port).</summary>
    public const string HttpPortName = "http";

    /// <summary>The volume that holds the model.</summary>
    public const string ModelVolumeName = "model";

    /// <summary>Where the model is mounted in both containers (<c>MODEL_DIR</c>).</summary>
    public const string ModelMountPath = ModelInitializerContract.ModelMountPath;

    /// <summary>Environment variable with the model folder, for the server and the initializer.</summary>
    public const string ModelDirEnv = ModelInitializerContract.ModelDirEnv;

    /// <summary>Environment variable with the MedicalModel's name.</summary>
    public const string ModelNameEnv = "MEDOPS_MODEL_NAME";

    /// <summary>Environment variable with <c>spec.version</c>.</summary>
    public const string ModelVersionEnv = "MEDOPS_MODEL_VERSION";

    /// <summary>Environment variable of the initializer with the resolved model URI.</summary>
    public const string ModelUriEnv = ModelInitializerContract.ModelUriEnv;

    /// <summary>Environment variable of the initializer with <c>spec.source.digest</c>, when set.</summary>
    public const string ModelDigestEnv = ModelInitializerContract.ModelDigestEnv;

    /// <summary>
    /// Old ReplicaSets kept for <c>kubectl rollout undo</c>. The spec in Git is the real history;
    /// each old ReplicaSet is another object in the cache, so keep few.
    /// </summary>
    public const int RevisionHistoryLimit = 3;

    /// <summary>
    /// Builds the Deployment for <paramref name="model"/> serving <paramref name="source"/>.
    /// <c>spec.replicas</c> is 0 when suspended, omitted (null) when autoscaling is set (the
    /// HorizontalPodAutoscaler owns it; server-side apply then leaves it alone), else
    /// <c>spec.replicas</c>. The model must have passed <see cref="Validation.MedicalModelValidator"/>.
    /// </summary>
    public static V1Deployment Build(V1Alpha1MedicalModel model, ResolvedModelSource source, ModelServingDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(defaults);
        var owner = ChildOwner.Of(model);
        var spec = model.Spec;

        var server = ServerContainer(model, source);
        var pod = new V1PodSpec
        {
            Containers = [server],
            InitContainers = NeedsInitializer(source) ? [InitializerContainer(spec, source, defaults)] : null,
            Volumes = [ModelVolume(source), .. CredentialsVolume(spec, source)],
            // The server talks to no Kubernetes API; a mounted token is only something to steal.
            AutomountServiceAccountToken = false,
            SecurityContext = RestrictedSecurity.Pod(),
        };
        PodScheduling.Apply(pod, spec.NodeSelector, spec.Tolerations);
        GpuPlacement.Apply(spec.Resources.Gpu, pod, server);

        return new V1Deployment
        {
            ApiVersion = $"{V1Deployment.KubeGroup}/{V1Deployment.KubeApiVersion}",
            Kind = V1Deployment.KubeKind,
            Metadata = ChildMetadata.Create(owner, ChildComponent.Inference),
            Spec = new V1DeploymentSpec
            {
                Replicas = Replicas(spec),
                RevisionHistoryLimit = RevisionHistoryLimit,
                Selector = new V1LabelSelector { MatchLabels = ChildMetadata.SelectorLabels(owner) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = ChildMetadata.Labels(owner, ChildComponent.Inference) },
                    Spec = pod,
                },
            },
        };
    }

    /// <summary>
    /// The replica count to apply: 0 when suspended, null (left to the autoscaler) when
    /// autoscaling is set, else <c>spec.replicas</c>.
    /// </summary>
    public static int? Replicas(V1Alpha1MedicalModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Suspend ? 0 : spec.Autoscaling is null ? spec.Replicas : null;
    }

    /// <summary>
    /// Whether the pod gets the <c>model-initializer</c>: always for downloads, and for claims
    /// when a digest must be verified before the server starts.
    /// </summary>
    public static bool NeedsInitializer(ResolvedModelSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.IsDownloaded || source.Digest is not null;
    }

    private static V1Container ServerContainer(V1Alpha1MedicalModel model, ResolvedModelSource source)
    {
        var runtime = model.Spec.Runtime;
        return new V1Container
        {
            Name = ServerContainerName,
            Image = runtime.Image,
            // An empty list means "the image's" to Kubernetes too, but the server drops it, and a
            // field the server drops would look like drift on every comparison.
            Command = runtime.Command is { Count: > 0 } command ? [.. command] : null,
            Args = runtime.Args is { Count: > 0 } args ? [.. args] : null,
            Env = ServerEnv(model),
            Ports = [new V1ContainerPort { Name = HttpPortName, ContainerPort = Port(runtime), Protocol = "TCP" }],
            ReadinessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction
                {
                    Path = string.IsNullOrEmpty(runtime.ReadinessPath) ? ModelRuntime.DefaultReadinessPath : runtime.ReadinessPath,
                    Port = HttpPortName,
                    Scheme = "HTTP",
                },
            },
            Resources = ComputeResourcesBuilder.Build(model.Spec.Resources),
            VolumeMounts = [ModelMount(source, readOnly: true)],
            SecurityContext = RestrictedSecurity.Container(),
        };
    }

    /// <summary>The serving port: <c>spec.runtime.port</c>, 8080 when unset.</summary>
    internal static int Port(ModelRuntime runtime) => runtime.Port > 0 ? runtime.Port : ModelRuntime.DefaultPort;

    /// <summary>
    /// The operator's variables first, then the user's. A user variable with the name of one of
    /// the operator's is dropped (the operator's describe the mount and must hold); among the
    /// user's, the last of a name wins, as Kubernetes itself would resolve it, but the list
    /// carries each name once, because server-side apply refuses duplicate keys.
    /// </summary>
    private static List<V1EnvVar> ServerEnv(V1Alpha1MedicalModel model)
    {
        var env = new List<V1EnvVar>
        {
            new() { Name = ModelDirEnv, Value = ModelMountPath },
            new() { Name = ModelNameEnv, Value = model.Metadata.Name },
            new() { Name = ModelVersionEnv, Value = model.Spec.Version },
        };
        var reserved = env.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var variable in model.Spec.Runtime.Env ?? [])
        {
            if (variable is null || string.IsNullOrEmpty(variable.Name) || reserved.Contains(variable.Name))
            {
                continue;
            }
            var copy = new V1EnvVar { Name = variable.Name, Value = variable.Value, ValueFrom = variable.ValueFrom };
            if (position.TryGetValue(variable.Name, out var index))
            {
                env[index] = copy;
            }
            else
            {
                position[variable.Name] = env.Count;
                env.Add(copy);
            }
        }
        return env;
    }

    private static V1Container InitializerContainer(V1Alpha1MedicalModelSpec spec, ResolvedModelSource source, ModelServingDefaults defaults)
    {
        var env = new List<V1EnvVar>
        {
            new() { Name = ModelUriEnv, Value = source.Uri },
            new() { Name = ModelDirEnv, Value = ModelMountPath },
        };
        if (source.Digest is not null)
        {
            env.Add(new V1EnvVar { Name = ModelDigestEnv, Value = source.Digest });
        }
        var secret = CredentialsSecret(spec, source);
        if (secret is not null)
        {
            env.Add(new V1EnvVar { Name = CredentialsDirEnv, Value = CredentialsMountPath });
        }
        List<V1VolumeMount> mounts = [ModelMount(source, readOnly: !source.IsDownloaded)];
        if (secret is not null)
        {
            mounts.Add(new V1VolumeMount { Name = CredentialsVolumeName, MountPath = CredentialsMountPath, ReadOnlyProperty = true });
        }
        return new V1Container
        {
            Name = InitializerContainerName,
            Image = defaults.ModelInitializerImage,
            // The image's entrypoint is medops-model-initializer; fetch is its init-container command.
            Args = [InitializerCommand],
            Env = env,
            // S3_ENDPOINT, AWS_REGION (and the keys again) from the same Secret, for this container only.
            EnvFrom = secret is null ? null : [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = secret } }],
            // Every container needs requests = limits for Guaranteed QoS, init containers too.
            // The server's share costs nothing: a pod's request is the larger of its init
            // containers' and the sum of its containers'. No GPU: downloading needs none.
            Resources = ComputeResourcesBuilder.Build(spec.Resources),
            // A claim is only verified, never written: read-only like the server's.
            VolumeMounts = mounts,
            SecurityContext = RestrictedSecurity.Container(),
        };
    }

    // The Secret of spec.source.credentialsSecretRef, when the pod has an initializer to give it to.
    private static string? CredentialsSecret(V1Alpha1MedicalModelSpec spec, ResolvedModelSource source) =>
        NeedsInitializer(source) && spec.Source?.CredentialsSecretRef?.Name is { Length: > 0 } name ? name : null;

    private static IEnumerable<V1Volume> CredentialsVolume(V1Alpha1MedicalModelSpec spec, ResolvedModelSource source) =>
        CredentialsSecret(spec, source) is { } name
            ? [new V1Volume
            {
                Name = CredentialsVolumeName,
                // World-readable inside the pod: the initializer runs as a fixed non-root UID
                // without an fsGroup, and only its container mounts the volume.
                Secret = new V1SecretVolumeSource { SecretName = name, DefaultMode = CredentialsFileMode },
            }]
            : [];

    private static V1Volume ModelVolume(ResolvedModelSource source) =>
        source.Pvc is { } pvc
            ? new V1Volume
            {
                Name = ModelVolumeName,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = pvc.ClaimName, ReadOnlyProperty = true },
            }
            : new V1Volume { Name = ModelVolumeName, EmptyDir = new V1EmptyDirVolumeSource() };

    private static V1VolumeMount ModelMount(ResolvedModelSource source, bool readOnly) => new()
    {
        Name = ModelVolumeName,
        MountPath = ModelMountPath,
        // false is what the server omits; writing it would look like drift.
        ReadOnlyProperty = readOnly ? true : null,
        SubPath = source.Pvc is { Path.Length: > 0 } pvc ? pvc.Path : null,
    };
}
