using System.Globalization;
using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.TrainingJobs.Builders;

/// <summary>Names, labels and fixed values shared by the worker pods, the Service and the attempt logic.</summary>
public static class TrainingWorkers
{
    /// <summary>The pod label with the attempt a worker belongs to.</summary>
    public const string AttemptLabel = "medops.io/attempt";

    /// <summary>The label a registered MedicalModel carries with the name of the job that trained it.</summary>
    public const string TrainedByLabel = "medops.io/trained-by";

    /// <summary>The rendezvous port of worker 0 (<c>MASTER_PORT</c>), PyTorch's usual one.</summary>
    public const int MasterPort = 29500;

    /// <summary>Where the dataset claim is mounted (<c>MEDOPS_DATA_DIR</c>).</summary>
    public const string DataDir = "/data";

    /// <summary>Where the output claim is mounted (<c>MEDOPS_OUTPUT_DIR</c>).</summary>
    public const string OutputDir = "/output";

    /// <summary>The worker container.</summary>
    public const string ContainerName = "worker";

    /// <summary>The name of worker <paramref name="rank"/>'s pod (also its hostname): <c>&lt;job&gt;-worker-&lt;rank&gt;</c>.</summary>
    public static string PodName(string job, int rank) => string.Create(CultureInfo.InvariantCulture, $"{job}-worker-{rank}");

    /// <summary>
    /// The rank encoded in a pod name of <paramref name="job"/>, or null when the name is not
    /// one of the job's worker names.
    /// </summary>
    public static int? RankOf(string job, string? podName)
    {
        var prefix = job + "-worker-";
        if (podName is null || !podName.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var digits = podName[prefix.Length..];
        // "01" is not a name the operator writes: only the canonical spelling counts.
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var rank)
            && rank.ToString(CultureInfo.InvariantCulture) == digits
            ? rank
            : null;
    }

    /// <summary>The attempt label's value, or null when missing or unreadable.</summary>
    public static int? AttemptOf(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(AttemptLabel, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt)
            ? attempt
            : null;

    /// <summary><c>MASTER_ADDR</c>: worker 0's stable DNS name through the headless Service.</summary>
    public static string MasterAddress(V1Alpha1TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var name = job.Metadata.Name;
        return $"{PodName(name, 0)}.{name}.{job.Metadata.NamespaceProperty}.svc";
    }

    /// <summary><c>status.outputUri</c>: <c>pvc://&lt;claim&gt;/&lt;path&gt;</c> (just the claim when the path is empty).</summary>
    public static string OutputUri(TrainingOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var path = (output.Path ?? "").Trim('/');
        return path.Length == 0 ? $"pvc://{output.ClaimName}" : $"pvc://{output.ClaimName}/{path}";
    }
}
