using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The observed state of a TrainingJob, written by the operator through the status subresource.</summary>
public sealed class V1Alpha1TrainingJobStatus
{
    /// <summary>The generation this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation this status describes; the conditions are current when it equals metadata.generation.")]
    public long? ObservedGeneration { get; set; }

    /// <summary>The one-word state.</summary>
    [JsonPropertyName("phase")]
    [Description("One-word state for people: Pending, Running, Restarting, Succeeded, Failed or Suspended. Automation should read the conditions.")]
    public TrainingJobPhase? Phase { get; set; }

    /// <summary>Ready, Reconciling, Stalled, Running, Succeeded, Failed and Suspended.</summary>
    [JsonPropertyName("conditions")]
    [Description("Ready (True once finished successfully), Reconciling, Stalled (a person must act), Running, Succeeded, Failed (reason BackoffLimitExceeded or DeadlineExceeded) and Suspended.")]
    [ListMapKey("type")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>The current attempt.</summary>
    [JsonPropertyName("attempt")]
    [Description("Number of the current attempt of the workers; a new attempt starts after each restart and after a resume from suspend. Worker pods carry it in the label medops.io/attempt.")]
    public int? Attempt { get; set; }

    /// <summary>Whole-job restarts so far.</summary>
    [JsonPropertyName("restarts")]
    [Description("Whole-job restarts so far after a worker failed; the job fails once this would exceed spec.backoffLimit.")]
    public int? Restarts { get; set; }

    /// <summary>Worker pods of the current attempt by state.</summary>
    [JsonPropertyName("workers")]
    [Description("Worker pods of the current attempt by state.")]
    public WorkerCounts? Workers { get; set; }

    /// <summary>When the job started.</summary>
    [JsonPropertyName("startTime")]
    [Description("When the operator started the job's first attempt, or its latest resume after a suspension; spec.activeDeadlineSeconds counts from here, so time spent suspended does not count.")]
    public DateTime? StartTime { get; set; }

    /// <summary>When the job finished.</summary>
    [JsonPropertyName("completionTime")]
    [Description("When the job finished, successfully or not.")]
    public DateTime? CompletionTime { get; set; }

    /// <summary>Where the model was written.</summary>
    [JsonPropertyName("outputUri")]
    [Description("Where the model was written: pvc://<spec.output.claimName>/<spec.output.path>; a MedicalModel's source.trainingJobRef resolves to it.")]
    public string? OutputUri { get; set; }

    /// <summary>The digest of what the workers wrote to the output, computed in the cluster.</summary>
    [JsonPropertyName("outputDigest")]
    [Description("Digest (sha256:<64 hex>) of the files at status.outputUri once every worker succeeded, computed in the cluster by the model-initializer (pod <job>-output-digest) as the last step of the job. The registered model pins it in source.digest, so a file changed on the output volume after training is refused when served. Unset while the job runs, and when the digest pod reported none.")]
    [Pattern(ValidationPatterns.Sha256Digest)]
    public string? OutputDigest { get; set; }

    /// <summary>The registered MedicalModel.</summary>
    [JsonPropertyName("model")]
    [Description("Name of the MedicalModel registered from spec.model after success.")]
    public string? Model { get; set; }
}
