using System.ComponentModel;
using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>A Clinical model's approval state: the version serving and the one waiting.</summary>
public sealed class ModelApprovalStatus
{
    /// <summary>Approved, AwaitingApproval or Revoked.</summary>
    [JsonPropertyName("state")]
    [Description("Approved (the current version serves), AwaitingApproval (the current version waits for a second person; the approved version, if any, keeps serving) or Revoked (the serving version's approval was deleted; scaled to zero).")]
    public ModelApprovalState? State { get; set; }

    /// <summary>The approved version that the model's server runs.</summary>
    [JsonPropertyName("approved")]
    [Description("The approved version the server runs; absent when none has been approved or its approval was revoked.")]
    public ApprovedModelVersion? Approved { get; set; }

    /// <summary>The version that waits for approval.</summary>
    [JsonPropertyName("pending")]
    [Description("The current spec.version and digest, while they wait for approval.")]
    public ApprovedModelVersion? Pending { get; set; }
}
