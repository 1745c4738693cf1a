using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The observed state of a MedicalModel, written by the operator through the status subresource.</summary>
public sealed class V1Alpha1MedicalModelStatus
{
    /// <summary>The generation this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation this status describes; the conditions are current when it equals metadata.generation.")]
    public long? ObservedGeneration { get; set; }

    /// <summary>The one-word state.</summary>
    [JsonPropertyName("phase")]
    [Description("One-word state for people: Pending, Deploying, Ready, Degraded, Suspended, AwaitingApproval or Failed. Automation should read the conditions.")]
    public MedicalModelPhase? Phase { get; set; }

    /// <summary>Ready, Reconciling, Stalled and Available.</summary>
    [JsonPropertyName("conditions")]
    [Description("Ready (serving, or suspended as asked), Reconciling (the operator is still working towards the spec), Stalled (a person must act; same reason as Ready) and Available (at least one ready replica).")]
    [ListMapKey("type")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>Server pods that exist.</summary>
    [JsonPropertyName("replicas")]
    [Description("Number of server pods of the Deployment.")]
    public int? Replicas { get; set; }

    /// <summary>Server pods that are ready.</summary>
    [JsonPropertyName("readyReplicas")]
    [Description("Number of server pods that pass their readiness probe.")]
    public int? ReadyReplicas { get; set; }

    /// <summary>The in-cluster URL.</summary>
    [JsonPropertyName("endpoint")]
    [Description("In-cluster URL of the inference service: http://<name>.<namespace>.svc:<port>.")]
    public string? Endpoint { get; set; }

    /// <summary>The resolved model location.</summary>
    [JsonPropertyName("modelUri")]
    [Description("Resolved location of the model: spec.source.uri, or the referenced TrainingJob's status.outputUri.")]
    public string? ModelUri { get; set; }

    /// <summary>The digest the model-initializer verified or computed.</summary>
    [JsonPropertyName("modelDigest")]
    [Description("Digest of the model the server pods load, as the model-initializer verified it (spec.source.digest) or computed it (sha256:<64 hex>); empty for a pvc:// model without a digest, which no initializer reads.")]
    public string? ModelDigest { get; set; }

    /// <summary>Where the model came from.</summary>
    [JsonPropertyName("lineage")]
    [Description("Provenance of the model when known: the TrainingJob and dataset claim that produced it.")]
    public ModelLineage? Lineage { get; set; }

    /// <summary>Clinical models only: the approved and the pending version.</summary>
    [JsonPropertyName("approval")]
    [Description("Clinical models only: which approved version serves and which version waits for approval (ModelApproval objects).")]
    public ModelApprovalStatus? Approval { get; set; }
}
