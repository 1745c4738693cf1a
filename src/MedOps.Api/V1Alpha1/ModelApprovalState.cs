using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>Where a Clinical model's current version stands with its approvals.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelApprovalState>))]
public enum ModelApprovalState
{
    /// <summary>The current version and digest have a valid approval and serve.</summary>
    Approved,

    /// <summary>The current version waits for a second person's approval; the last approved version (if any) keeps serving.</summary>
    AwaitingApproval,

    /// <summary>The approval of the version that was serving was deleted: the model is scaled to zero.</summary>
    Revoked,
}
