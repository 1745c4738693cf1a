using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The desired state of a TrainingJob: a data-parallel run of identical workers.</summary>
public sealed class V1Alpha1TrainingJobSpec
{
    /// <summary>The default number of whole-job restarts.</summary>
    public const int DefaultBackoffLimit = 3;

    /// <summary>The training image.</summary>
    [JsonPropertyName("image")]
    [Description("Container image of the workers, for example pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime.")]
    [Required]
    [MinLength(1)]
    public string Image { get; set; } = "";

    /// <summary>The entrypoint; the image's when omitted.</summary>
    [JsonPropertyName("command")]
    [Description("Entrypoint of the worker container, for example [python, train.py]; the image's ENTRYPOINT when omitted.")]
    public IList<string>? Command { get; set; }

    /// <summary>Arguments to the entrypoint.</summary>
    [JsonPropertyName("args")]
    [Description("Arguments to the entrypoint; the image's CMD when omitted.")]
    public IList<string>? Args { get; set; }

    /// <summary>Extra environment variables.</summary>
    [JsonPropertyName("env")]
    [Description("Extra environment variables of every worker (core/v1 EnvVar). WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT, MEDOPS_DATA_DIR and MEDOPS_OUTPUT_DIR are set by the operator.")]
    public IList<V1EnvVar>? Env { get; set; }

    /// <summary>How many workers run in parallel.</summary>
    [JsonPropertyName("workers")]
    [Description("Number of workers, one pod each (<name>-worker-<i>, RANK i, WORLD_SIZE workers); worker 0 is MASTER_ADDR.")]
    [DefaultValue(1)]
    [Minimum(1)]
    [Maximum(128)]
    public int Workers { get; set; } = 1;

    /// <summary>Resources of each worker.</summary>
    [JsonPropertyName("resources")]
    [Description("CPU, memory and GPUs of each worker.")]
    [Required]
    public ComputeResources Resources { get; set; } = new();

    /// <summary>The dataset volume.</summary>
    [JsonPropertyName("dataset")]
    [Description("Dataset volume, mounted read-only at /data in every worker.")]
    [Required]
    public TrainingDataset Dataset { get; set; } = new();

    /// <summary>The output volume.</summary>
    [JsonPropertyName("output")]
    [Description("Output volume the workers write the model to, mounted at /output.")]
    [Required]
    public TrainingOutput Output { get; set; } = new();

    /// <summary>Whole-job restarts allowed after a worker fails.</summary>
    [JsonPropertyName("backoffLimit")]
    [Description("How many times the whole job is restarted (all workers, a new attempt) after a worker fails, before it is Failed with reason BackoffLimitExceeded.")]
    [DefaultValue(DefaultBackoffLimit)]
    [Minimum(0)]
    public int BackoffLimit { get; set; } = DefaultBackoffLimit;

    /// <summary>The longest the job may run.</summary>
    [JsonPropertyName("activeDeadlineSeconds")]
    [Description("Longest time in seconds the job may run, counted from status.startTime (which a resume after suspend resets, as for a Kubernetes Job); when it passes, the workers are deleted and the job is Failed with reason DeadlineExceeded. Omitted: no limit.")]
    [Minimum(1)]
    public long? ActiveDeadlineSeconds { get; set; }

    /// <summary>How long a finished job is kept.</summary>
    [JsonPropertyName("ttlSecondsAfterFinished")]
    [Description("Seconds after the job finished (Succeeded or Failed) at which the operator deletes the TrainingJob; a registered MedicalModel is kept. Omitted: kept forever.")]
    [Minimum(0)]
    public int? TtlSecondsAfterFinished { get; set; }

    /// <summary>Stop the workers.</summary>
    [JsonPropertyName("suspend")]
    [Description("True deletes the workers and marks the job Suspended; setting it back to false starts a fresh attempt.")]
    [DefaultValue(false)]
    public bool Suspend { get; set; }

    /// <summary>A scheduler for the worker pods.</summary>
    [JsonPropertyName("schedulerName")]
    [Description("Scheduler of the worker pods (for example volcano); the cluster's default scheduler when omitted or empty.")]
    [Pattern(ValidationPatterns.OptionalDns1123Subdomain)]
    [MaxLength(253)]
    public string? SchedulerName { get; set; }

    /// <summary>A PriorityClass for the worker pods.</summary>
    [JsonPropertyName("priorityClassName")]
    [Description("PriorityClass of the worker pods; none when omitted or empty.")]
    [Pattern(ValidationPatterns.OptionalDns1123Subdomain)]
    [MaxLength(253)]
    public string? PriorityClassName { get; set; }

    /// <summary>The sensitivity of the training data.</summary>
    [JsonPropertyName("dataClassification")]
    [Description("Sensitivity of the training data: PHI, LimitedDataSet, DeIdentified or Public. PHI and LimitedDataSet jobs get a NetworkPolicy: workers talk to each other, no other ingress, egress only to DNS, the job's pods and the operator's configured CIDRs.")]
    [DefaultValue(DataClassification.PHI)]
    public DataClassification DataClassification { get; set; } = DataClassification.PHI;

    /// <summary>The MedicalModel to register on success.</summary>
    [JsonPropertyName("model")]
    [Description("Register the output as a MedicalModel when the job succeeds: created, or updated to the new version, with source.trainingJobRef naming this job (it then serves status.outputUri). The model is not owned by the job and outlives it: it keeps serving the recorded output after the job is deleted.")]
    public ModelRegistration? Model { get; set; }

    /// <summary>Node labels the worker pods must match.</summary>
    [JsonPropertyName("nodeSelector")]
    [Description("Node labels the worker pods must match (a core/v1 nodeSelector), for example a node pool; added to the GPU placement, which selects GPU nodes by affinity.")]
    public IDictionary<string, string>? NodeSelector { get; set; }

    /// <summary>Taints the worker pods tolerate.</summary>
    [JsonPropertyName("tolerations")]
    [Description("Tolerations of the worker pods (core/v1 Toleration), for nodes tainted for training; the toleration of the GPU resource's own taint is added by the operator.")]
    public IList<V1Toleration>? Tolerations { get; set; }
}
