using System.Globalization;
using k8s.Models;
using MedOps.Controllers.Shared;
using MedOps.Controllers.TrainingJobs.Builders;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>
/// Why a failed worker pod failed, in words for an event or the job's status: the exit code and
/// termination message of the container that failed (what the training code wrote to
/// <c>/dev/termination-log</c>, or the end of its log with <c>FallbackToLogsOnError</c>), or the
/// kubelet's reason for a pod it evicted. Pure.
/// </summary>
public static class WorkerFailure
{
    /// <summary>The longest termination message quoted; the rest is in the pod's status.</summary>
    public const int MaxMessageLength = 200;

    /// <summary>
    /// "exited with code 1 (Error): &lt;message&gt;", "was evicted: &lt;message&gt;", or "failed" when
    /// the pod says nothing more.
    /// </summary>
    public static string Describe(V1Pod? pod)
    {
        var terminated = pod?.Status?.ContainerStatuses?
            .Select(s => s.State?.Terminated ?? s.LastState?.Terminated)
            .FirstOrDefault(t => t is { ExitCode: not 0 });
        if (terminated is not null)
        {
            var reason = string.IsNullOrEmpty(terminated.Reason) ? "" : $" ({terminated.Reason})";
            var text = string.Create(CultureInfo.InvariantCulture, $"exited with code {terminated.ExitCode}{reason}");
            return Quote(terminated.Message) is { } message ? $"{text}: {message}" : text;
        }
        if (pod?.Status?.Reason is { Length: > 0 } podReason)
        {
            var verb = podReason == "Evicted" ? "was evicted" : $"failed ({podReason})";
            return Quote(pod.Status.Message) is { } message ? $"{verb}: {message}" : verb;
        }
        return "failed";
    }

    /// <summary>
    /// The causes of the failed ranks of <paramref name="attempt"/>, rank by rank:
    /// "worker 0 exited with code 1 (Error): …".
    /// </summary>
    public static string DescribeRanks(string job, int attempt, IEnumerable<int> ranks, IEnumerable<V1Pod> pods)
    {
        var byName = pods
            .Where(p => TrainingWorkers.AttemptOf(p.Metadata?.Labels) == attempt)
            .GroupBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return string.Join("; ", ranks.Select(rank =>
            string.Create(CultureInfo.InvariantCulture, $"worker {rank} {Describe(byName.GetValueOrDefault(TrainingWorkers.PodName(job, rank)))}")));
    }

    // One line, trimmed and cut: messages can hold a stack trace.
    private static string? Quote(string? message) => PodDiagnosis.Quote(message, MaxMessageLength);
}
