using System.Globalization;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.TrainingJobs.Builders;

/// <summary>
/// The last step of a TrainingJob whose workers all succeeded: the pod
/// <c>&lt;job&gt;-output-digest</c>, which runs the model-initializer's <c>fetch</c> over
/// <c>status.outputUri</c> with the output claim mounted read-only. For a pvc:// source without
/// a pin, <c>fetch</c> only reads the files and ends with <c>Computed: sha256:…</c> in its
/// termination message: the job's <c>status.outputDigest</c>.
/// <para>
/// It runs where the workers ran (the job's nodeSelector and tolerations: a node-local claim is
/// reachable there), needs no GPU and no network, and carries the attempt label, so that a pod
/// of an earlier attempt is never taken for this one's.
/// </para>
/// </summary>
public static class OutputDigestPodBuilder
{
    /// <summary>The pod's name suffix: <c>&lt;job&gt;-output-digest</c>.</summary>
    public const string NameSuffix = "-output-digest";

    /// <summary>
    /// The CPU and memory of its container (requests = limits). Reading and hashing is all it
    /// does; half a core hashes a few hundred MB a second.
    /// </summary>
    public static ComputeResources Resources => new() { Cpu = "500m", Memory = "256Mi" };

    /// <summary>The name of <paramref name="job"/>'s digest pod.</summary>
    public static string PodName(string job) => job + NameSuffix;

    /// <summary>Whether <paramref name="pod"/> is a digest pod (by its component label), not a worker.</summary>
    public static bool IsDigestPod(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Metadata?.Labels is { } labels
            && labels.TryGetValue(ChildMetadata.ComponentLabel, out var component)
            && component == ChildComponent.OutputDigest;
    }

    /// <summary>
    /// Builds the digest pod of <paramref name="attempt"/>, running <paramref name="initializerImage"/>.
    /// The job must have passed <see cref="Validation.TrainingJobValidator"/>.
    /// </summary>
    public static V1Pod Build(V1Alpha1TrainingJob job, int attempt, string initializerImage)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentException.ThrowIfNullOrEmpty(initializerImage);
        var spec = job.Spec;
        var owner = ChildOwner.Of(job);
        var path = (spec.Output.Path ?? "").Trim('/');

        var container = new V1Container
        {
            Name = ModelInitializerContract.ContainerName,
            Image = initializerImage,
            Args = [ModelInitializerContract.FetchCommand],
            Env =
            [
                new V1EnvVar { Name = ModelInitializerContract.ModelUriEnv, Value = TrainingWorkers.OutputUri(spec.Output) },
                new V1EnvVar { Name = ModelInitializerContract.ModelDirEnv, Value = ModelInitializerContract.ModelMountPath },
            ],
            Resources = ComputeResourcesBuilder.Build(Resources),
            VolumeMounts =
            [
                new V1VolumeMount
                {
                    Name = WorkerPodBuilder.OutputVolumeName,
                    MountPath = ModelInitializerContract.ModelMountPath,
                    // Read, never written: what is hashed is what the workers left.
                    ReadOnlyProperty = true,
                    SubPath = path.Length == 0 ? null : path,
                },
            ],
            SecurityContext = RestrictedSecurity.Container(),
        };
        var pod = new V1PodSpec
        {
            Containers = [container],
            RestartPolicy = "Never",
            Volumes =
            [
                new V1Volume
                {
                    Name = WorkerPodBuilder.OutputVolumeName,
                    PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = spec.Output.ClaimName, ReadOnlyProperty = true },
                },
            ],
            // Talks to no Kubernetes API.
            AutomountServiceAccountToken = false,
            SecurityContext = RestrictedSecurity.Pod(),
        };
        PodScheduling.Apply(pod, spec.NodeSelector, spec.Tolerations);

        var metadata = ChildMetadata.Create(owner, ChildComponent.OutputDigest, PodName(job.Metadata.Name));
        metadata.Labels[TrainingWorkers.AttemptLabel] = attempt.ToString(CultureInfo.InvariantCulture);
        return new V1Pod
        {
            ApiVersion = V1Pod.KubeApiVersion,
            Kind = V1Pod.KubeKind,
            Metadata = metadata,
            Spec = pod,
        };
    }
}
