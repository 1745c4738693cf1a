using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs.Builders;

namespace MedOps.Controllers.Tests.TrainingJobs;

/// <summary>TrainingJobs as a platform engineer writes them, stored (with a UID) by the API server, and their worker pods.</summary>
internal static class TestJobs
{
    public const string Name = "cxr-train";
    public const string Namespace = "radiology";
    public const string Uid = "0d6c3a52-8f0e-4b7a-a3a1-6f1ad5f1c0e2";

    public static V1Alpha1TrainingJob ChestXray(Action<V1Alpha1TrainingJobSpec>? change = null)
    {
        var job = new V1Alpha1TrainingJob
        {
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                NamespaceProperty = Namespace,
                Uid = Uid,
                Generation = 2,
                ResourceVersion = "1234",
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/instance"] = "radiology-training" },
                Annotations = new Dictionary<string, string> { ["argocd.argoproj.io/tracking-id"] = "x" },
            },
            Spec = new V1Alpha1TrainingJobSpec
            {
                Image = "pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime",
                Command = ["python", "train.py"],
                Args = ["--epochs", "20"],
                Env = [new V1EnvVar { Name = "NCCL_DEBUG", Value = "INFO" }],
                Workers = 4,
                Resources = new ComputeResources { Cpu = "8", Memory = "32Gi" },
                Dataset = new TrainingDataset { ClaimName = "cxr-2024" },
                Output = new TrainingOutput { ClaimName = "models", Path = "chest-xray/1.5.0" },
            },
        };
        change?.Invoke(job.Spec);
        return job;
    }

    /// <summary>Worker <paramref name="rank"/> of <paramref name="attempt"/> in <paramref name="phase"/>.</summary>
    public static V1Pod Worker(int rank, int attempt, string? phase, V1Alpha1TrainingJob? job = null)
    {
        var pod = WorkerPodBuilder.Build(job ?? ChestXray(), rank, attempt);
        pod.Metadata.Uid = $"pod-{rank}-{attempt}";
        pod.Status = phase is null ? null : new V1PodStatus { Phase = phase };
        return pod;
    }

    /// <summary>Ranks 0..n-1 of <paramref name="attempt"/>, all in <paramref name="phase"/>.</summary>
    public static List<V1Pod> Workers(int count, int attempt, string phase) =>
        [.. Enumerable.Range(0, count).Select(r => Worker(r, attempt, phase))];
}
