using System.Globalization;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.MedicalModels;

/// <summary>
/// Reads a model's server pods (as the trimmed cache has them): the first problem that keeps one
/// from serving, and the digest the model-initializer verified or computed. Pure.
/// </summary>
public static class ServingDiagnosis
{
    /// <summary>
    /// The problem of the first pod that has one, newest pods first; pods being deleted are
    /// left out (they belong to the past).
    /// </summary>
    public static PodProblem? Diagnose(IEnumerable<V1Pod> pods, ModelRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(runtime);
        return Current(pods).Select(p => Diagnose(p, runtime)).FirstOrDefault(p => p is not null);
    }

    /// <summary>
    /// The digest in the termination message of a pod's model-initializer that succeeded
    /// (<c>Verified: sha256:…</c> or <c>Computed: sha256:…</c>), newest pod first; null when none did.
    /// </summary>
    public static string? VerifiedDigest(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        foreach (var pod in Current(pods))
        {
            var terminated = Initializer(pod)?.State?.Terminated;
            if (terminated is { ExitCode: 0 } && InitializerTermination.Digest(terminated.Message) is { } digest)
            {
                return digest;
            }
        }
        return null;
    }

    private static IEnumerable<V1Pod> Current(IEnumerable<V1Pod> pods) =>
        pods.Where(p => p.Metadata?.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .OrderByDescending(p => p.Metadata?.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(p => p.Metadata?.Name, StringComparer.Ordinal);

    private static PodProblem? Diagnose(V1Pod pod, ModelRuntime runtime)
    {
        var name = pod.Metadata?.Name ?? "";
        if (PodDiagnosis.Unscheduled(pod) is { } unscheduled)
        {
            return unscheduled;
        }
        if (Initializer(pod) is { } initializer && InitializerProblem(name, pod, initializer) is { } init)
        {
            return init;
        }
        foreach (var status in pod.Status?.ContainerStatuses ?? [])
        {
            if (ContainerProblem(name, pod, status) is { } problem)
            {
                return problem;
            }
        }
        var server = pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == ModelDeploymentBuilder.ServerContainerName);
        if (server is { Ready: false, State.Running: { } running })
        {
            var since = running.StartedAt is { } started ? $" since {started.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}" : "";
            return new(MedicalModelReasons.ServerNotReady,
                string.Create(CultureInfo.InvariantCulture, $"the server in pod {name} runs{since} but has not passed its readiness probe (GET {runtime.ReadinessPath} on port {runtime.Port}); see kubectl logs {name}"), false);
        }
        return null;
    }

    private static PodProblem? InitializerProblem(string pod, V1Pod full, V1ContainerStatus status)
    {
        if (PodDiagnosis.ImagePull(full, status) is { } pull)
        {
            return pull;
        }
        var terminated = status.State?.Terminated ?? status.LastState?.Terminated;
        if (terminated is null || terminated.ExitCode == 0)
        {
            return null;
        }
        var message = Quote(terminated.Message) ?? string.Create(CultureInfo.InvariantCulture, $"exit code {terminated.ExitCode}");
        var (reason, stalled) = InitializerTermination.FailureCode(message) switch
        {
            "DigestMismatch" => (MedicalModelReasons.ModelDigestMismatch, true),
            "DownloadFailed" => (MedicalModelReasons.ModelDownloadFailed, false),
            "SourceNotFound" => (MedicalModelReasons.ModelSourceNotFound, true),
            "Unauthorized" => (MedicalModelReasons.ModelUnauthorized, true),
            "UnsafeContent" or "TooLarge" or "InvalidSource" => (MedicalModelReasons.ModelRefused, true),
            _ => (MedicalModelReasons.ModelInitializerFailed, false),
        };
        var restarts = status.RestartCount > 0 ? string.Create(CultureInfo.InvariantCulture, $" (restarted {status.RestartCount} times)") : "";
        return new(reason, $"the model-initializer of pod {pod} failed{restarts}: {message}", stalled);
    }

    private static PodProblem? ContainerProblem(string pod, V1Pod full, V1ContainerStatus status)
    {
        if ((PodDiagnosis.ImagePull(full, status) ?? PodDiagnosis.ConfigError(full, status)) is { } problem)
        {
            return problem;
        }
        var waiting = status.State?.Waiting;
        if (waiting?.Reason == "CrashLoopBackOff" || (status.State?.Terminated is { ExitCode: not 0 } && status.RestartCount > 0))
        {
            var last = status.LastState?.Terminated ?? status.State?.Terminated;
            var exit = last is null ? "" : string.Create(CultureInfo.InvariantCulture, $"; last exit code {last.ExitCode}{(string.IsNullOrEmpty(last.Reason) ? "" : $" ({last.Reason})")}");
            var said = Quote(last?.Message) is { } m ? $": {m}" : "";
            return new(MedicalModelReasons.ServerCrashLooping,
                string.Create(CultureInfo.InvariantCulture, $"container {status.Name} of pod {pod} keeps exiting (restarted {status.RestartCount} times{exit}){said}"), false);
        }
        return null;
    }

    private static V1ContainerStatus? Initializer(V1Pod pod) =>
        pod.Status?.InitContainerStatuses?.FirstOrDefault(s => s.Name == ModelDeploymentBuilder.InitializerContainerName);

    private static string? Quote(string? message) => PodDiagnosis.Quote(message, PodDiagnosis.MaxQuoted);
}
