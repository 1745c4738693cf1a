using k8s.Models;
using MedOps.Controllers.Shared;
using MedOps.Controllers.TrainingJobs.Builders;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>Where the output-digest step of an attempt stands, read from its pod.</summary>
public abstract record OutputDigestOutcome
{
    /// <summary>The attempt has no digest pod yet: create it.</summary>
    public sealed record NotStarted : OutputDigestOutcome;

    /// <summary>The pod is pending or running; <paramref name="Problem"/> says why it does not run, when the pod says.</summary>
    public sealed record InProgress(PodProblem? Problem) : OutputDigestOutcome;

    /// <summary>The model-initializer computed the digest of the output.</summary>
    public sealed record Computed(string Digest) : OutputDigestOutcome;

    /// <summary>
    /// The pod succeeded without a digest in its termination message: an image that is not the
    /// MedOps model-initializer, or a simulated node, which runs no container.
    /// </summary>
    public sealed record Unknown(string Message) : OutputDigestOutcome;

    /// <summary>The model-initializer refused or could not read the output (<c>UnsafeContent</c>, <c>TooLarge</c>, …).</summary>
    public sealed record Failed(string Reason, string Message) : OutputDigestOutcome;
}

/// <summary>
/// The last step of a TrainingJob whose workers all succeeded, read from the pods of the job
/// (<see cref="OutputDigestPodBuilder"/>). Pure.
/// </summary>
public static class OutputDigestStep
{
    /// <summary>
    /// The digest pod of <paramref name="attempt"/> among <paramref name="pods"/> (not being
    /// deleted), or null. A pod of another attempt is never it.
    /// </summary>
    public static V1Pod? PodOf(int attempt, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return pods.FirstOrDefault(p => OutputDigestPodBuilder.IsDigestPod(p) && p.Metadata.DeletionTimestamp is null
            && TrainingWorkers.AttemptOf(p.Metadata.Labels) == attempt);
    }

    /// <summary>Reads the outcome of <paramref name="pod"/> (null: none yet).</summary>
    public static OutputDigestOutcome Read(V1Pod? pod)
    {
        if (pod is null)
        {
            return new OutputDigestOutcome.NotStarted();
        }
        var name = pod.Metadata?.Name;
        var terminated = pod.Status?.ContainerStatuses?
            .FirstOrDefault(s => s.Name == ModelInitializerContract.ContainerName)?.State?.Terminated;
        switch (pod.Status?.Phase)
        {
            case "Succeeded":
                return InitializerTermination.Digest(terminated?.Message) is { } digest
                    ? new OutputDigestOutcome.Computed(digest)
                    : new OutputDigestOutcome.Unknown($"pod {name} succeeded without reporting a digest (its termination message is not \"Computed: sha256:…\"; is the operator's --model-initializer-image a MedOps model-initializer?)");
            case "Failed":
                var said = PodDiagnosis.Quote(terminated?.Message, PodDiagnosis.MaxQuoted);
                var code = said is null ? "" : InitializerTermination.FailureCode(said);
                var exit = terminated is null ? pod.Status?.Reason ?? "failed" : $"exit code {terminated.ExitCode}";
                return new OutputDigestOutcome.Failed(code.Length > 0 ? code : "Failed",
                    $"pod {name} failed ({exit}){(said is null ? "" : ": " + said)}; see kubectl logs {name}");
            default:
                return new OutputDigestOutcome.InProgress(PodDiagnosis.Diagnose(pod));
        }
    }
}
