using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>The one-word state of a MedicalModel shown by <c>kubectl get mm</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MedicalModelPhase>))]
public enum MedicalModelPhase
{
    /// <summary>Waiting for something before deploying, such as the TrainingJob that produces the model.</summary>
    Pending,

    /// <summary>The server is rolling out; not every replica is ready yet.</summary>
    Deploying,

    /// <summary>Every desired replica is ready and serving.</summary>
    Ready,

    /// <summary>Some but not all replicas are ready.</summary>
    Degraded,

    /// <summary>Scaled to zero because spec.suspend is true.</summary>
    Suspended,

    /// <summary>A Clinical model whose current version waits for approval (a ModelApproval by a second person).</summary>
    AwaitingApproval,

    /// <summary>Cannot progress without a person: see the Stalled condition.</summary>
    Failed,
}
