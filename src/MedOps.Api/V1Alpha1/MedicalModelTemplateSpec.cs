using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>
/// A MedicalModel spec without its source: what a TrainingJob registers as a model once it has
/// produced the artefact (the job fills in the source). <see cref="V1Alpha1MedicalModelSpec"/>
/// adds the source.
/// </summary>
public class MedicalModelTemplateSpec
{
    /// <summary>The kind of clinical input.</summary>
    [JsonPropertyName("modality")]
    [Description("Kind of clinical data the model takes: Imaging, Text, Tabular, Signal, Genomics or Multimodal.")]
    [Required]
    public Modality Modality { get; set; }

    /// <summary>The model's version.</summary>
    [JsonPropertyName("version")]
    [Description("Version of the model, for example 1.4.0; given to the server as MEDOPS_MODEL_VERSION and shown by kubectl get.")]
    [Required]
    [MinLength(1)]
    public string Version { get; set; } = "";

    /// <summary>What the model is for.</summary>
    [JsonPropertyName("intendedUse")]
    [Description("Intended use in plain words, as a model card states it, for example \"Pneumothorax triage on chest radiographs\".")]
    public string? IntendedUse { get; set; }

    /// <summary>Research or clinical use.</summary>
    [JsonPropertyName("usage")]
    [Description("Research (predictions do not inform care) or Clinical (used in clinical workflows).")]
    [DefaultValue(ModelUsage.Research)]
    public ModelUsage Usage { get; set; } = ModelUsage.Research;

    /// <summary>The sensitivity of the data the server sees.</summary>
    [JsonPropertyName("dataClassification")]
    [Description("Sensitivity of the data the server receives: PHI, LimitedDataSet, DeIdentified or Public. PHI and LimitedDataSet restrict ingress to the namespace and to namespaces labelled medops.io/inference-client=true, and egress to DNS, the namespace and the operator's configured CIDRs.")]
    [DefaultValue(DataClassification.PHI)]
    public DataClassification DataClassification { get; set; } = DataClassification.PHI;

    /// <summary>The artefact's format.</summary>
    [JsonPropertyName("format")]
    [Description("Format of the model artefact: ONNX, TorchScript, TensorFlow, Triton or Custom (anything the runtime image understands).")]
    [DefaultValue(ModelFormat.Custom)]
    public ModelFormat Format { get; set; } = ModelFormat.Custom;

    /// <summary>The server container.</summary>
    [JsonPropertyName("runtime")]
    [Description("Inference server container: image, command, environment, port and readiness path.")]
    [Required]
    public ModelRuntime Runtime { get; set; } = new();

    /// <summary>Resources of each replica.</summary>
    [JsonPropertyName("resources")]
    [Description("CPU, memory and GPUs of each server replica.")]
    [Required]
    public ComputeResources Resources { get; set; } = new();

    /// <summary>The fixed replica count.</summary>
    [JsonPropertyName("replicas")]
    [Description("Number of server replicas, at least 1 (set suspend to scale to zero); ignored when autoscaling is set (the HorizontalPodAutoscaler owns the count).")]
    [DefaultValue(1)]
    [Minimum(1)]
    public int Replicas { get; set; } = 1;

    /// <summary>Autoscaling on CPU utilisation.</summary>
    [JsonPropertyName("autoscaling")]
    [Description("Scale the server between minReplicas and maxReplicas on CPU utilisation with a HorizontalPodAutoscaler; replicas is then ignored.")]
    public ModelAutoscaling? Autoscaling { get; set; }

    /// <summary>Scale to zero, keeping everything else.</summary>
    [JsonPropertyName("suspend")]
    [Description("True scales the server to zero replicas and frees its GPUs; the Service and every other object stay. False brings it back.")]
    [DefaultValue(false)]
    public bool Suspend { get; set; }

    /// <summary>Node labels the server pods must match.</summary>
    [JsonPropertyName("nodeSelector")]
    [Description("Node labels the server pods must match (a core/v1 nodeSelector), for example a node pool; added to the GPU placement, which selects GPU nodes by affinity.")]
    public IDictionary<string, string>? NodeSelector { get; set; }

    /// <summary>Taints the server pods tolerate.</summary>
    [JsonPropertyName("tolerations")]
    [Description("Tolerations of the server pods (core/v1 Toleration), for nodes tainted for inference; the toleration of the GPU resource's own taint is added by the operator.")]
    public IList<V1Toleration>? Tolerations { get; set; }
}
