using System.Globalization;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.TrainingJobs.Builders;

/// <summary>
/// The pod of one worker of one attempt: <c>&lt;job&gt;-worker-&lt;rank&gt;</c>, run once
/// (<c>restartPolicy: Never</c>: a failed worker fails the attempt, and the whole job restarts),
/// reachable as <c>&lt;job&gt;-worker-&lt;rank&gt;.&lt;job&gt;</c> through the headless Service.
/// </summary>
public static class WorkerPodBuilder
{
    /// <summary>Environment variable with the number of workers.</summary>
    public const string WorldSizeEnv = "WORLD_SIZE";

    /// <summary>Environment variable with the worker's rank.</summary>
    public const string RankEnv = "RANK";

    /// <summary>Environment variable with worker 0's DNS name.</summary>
    public const string MasterAddrEnv = "MASTER_ADDR";

    /// <summary>Environment variable with the rendezvous port.</summary>
    public const string MasterPortEnv = "MASTER_PORT";

    /// <summary>Environment variable with the dataset folder.</summary>
    public const string DataDirEnv = "MEDOPS_DATA_DIR";

    /// <summary>Environment variable with the output folder.</summary>
    public const string OutputDirEnv = "MEDOPS_OUTPUT_DIR";

    /// <summary>The dataset volume.</summary>
    public const string DatasetVolumeName = "dataset";

    /// <summary>The output volume.</summary>
    public const string OutputVolumeName = "output";

    /// <summary>
    /// Builds worker <paramref name="rank"/> of attempt <paramref name="attempt"/>. The job must
    /// have passed <see cref="Validation.TrainingJobValidator"/>.
    /// </summary>
    public static V1Pod Build(V1Alpha1TrainingJob job, int rank, int attempt)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var owner = ChildOwner.Of(job);
        var spec = job.Spec;
        var name = TrainingWorkers.PodName(job.Metadata.Name, rank);

        var container = new V1Container
        {
            Name = TrainingWorkers.ContainerName,
            Image = spec.Image,
            // An empty list means "the image's" to Kubernetes as well; omit it.
            Command = spec.Command is { Count: > 0 } command ? [.. command] : null,
            Args = spec.Args is { Count: > 0 } args ? [.. args] : null,
            Env = Env(job, rank),
            Resources = ComputeResourcesBuilder.Build(spec.Resources),
            VolumeMounts =
            [
                new V1VolumeMount
                {
                    Name = DatasetVolumeName,
                    MountPath = TrainingWorkers.DataDir,
                    ReadOnlyProperty = true,
                    SubPath = NonEmpty(spec.Dataset.SubPath),
                },
                new V1VolumeMount
                {
                    Name = OutputVolumeName,
                    MountPath = TrainingWorkers.OutputDir,
                    SubPath = NonEmpty(spec.Output.Path),
                },
            ],
            SecurityContext = RestrictedSecurity.Container(),
            // Training code seldom writes /dev/termination-log: the end of the log then says
            // why a worker failed, in the pod's status and in the job's events.
            TerminationMessagePolicy = "FallbackToLogsOnError",
        };
        var pod = new V1PodSpec
        {
            Containers = [container],
            RestartPolicy = "Never",
            Hostname = name,
            Subdomain = job.Metadata.Name,
            // Empty strings are pointless on a pod (and refused in custom resources): omit them.
            SchedulerName = NonEmpty(spec.SchedulerName),
            PriorityClassName = NonEmpty(spec.PriorityClassName),
            Volumes =
            [
                new V1Volume
                {
                    Name = DatasetVolumeName,
                    PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = spec.Dataset.ClaimName, ReadOnlyProperty = true },
                },
                new V1Volume
                {
                    Name = OutputVolumeName,
                    PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = spec.Output.ClaimName },
                },
            ],
            // Training code talks to no Kubernetes API; a mounted token is only something to steal.
            AutomountServiceAccountToken = false,
            SecurityContext = RestrictedSecurity.Pod(),
        };
        PodScheduling.Apply(pod, spec.NodeSelector, spec.Tolerations);
        GpuPlacement.Apply(spec.Resources.Gpu, pod, container);

        var metadata = ChildMetadata.Create(owner, ChildComponent.Training, name);
        metadata.Labels[TrainingWorkers.AttemptLabel] = attempt.ToString(CultureInfo.InvariantCulture);
        return new V1Pod
        {
            ApiVersion = V1Pod.KubeApiVersion,
            Kind = V1Pod.KubeKind,
            Metadata = metadata,
            Spec = pod,
        };
    }

    /// <summary>
    /// The operator's variables first, then the user's. A user variable named like one of the
    /// operator's is dropped (they describe the topology and the mounts and must hold); among
    /// the user's, the last of a name wins, as Kubernetes would resolve it, but each name is
    /// listed once.
    /// </summary>
    private static List<V1EnvVar> Env(V1Alpha1TrainingJob job, int rank)
    {
        var spec = job.Spec;
        var env = new List<V1EnvVar>
        {
            new() { Name = WorldSizeEnv, Value = spec.Workers.ToString(CultureInfo.InvariantCulture) },
            new() { Name = RankEnv, Value = rank.ToString(CultureInfo.InvariantCulture) },
            new() { Name = MasterAddrEnv, Value = TrainingWorkers.MasterAddress(job) },
            new() { Name = MasterPortEnv, Value = TrainingWorkers.MasterPort.ToString(CultureInfo.InvariantCulture) },
            new() { Name = DataDirEnv, Value = TrainingWorkers.DataDir },
            new() { Name = OutputDirEnv, Value = TrainingWorkers.OutputDir },
        };
        var reserved = env.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var variable in spec.Env ?? [])
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

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
