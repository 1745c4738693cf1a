using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary><c>DataVolume.status</c>.</summary>
public sealed class DataVolumeStatus
{
    /// <summary><c>Pending</c>, <c>ImportScheduled</c>, <c>ImportInProgress</c>, <c>CloneScheduled</c>, <c>CloneInProgress</c>, <c>WaitForFirstConsumer</c>, <c>Succeeded</c>, <c>Failed</c>, ….</summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>Progress such as <c>50.0%</c> or <c>N/A</c>.</summary>
    [JsonPropertyName("progress")]
    public string? Progress { get; set; }

    /// <summary>Conditions (Bound, Running, Ready).</summary>
    [JsonPropertyName("conditions")]
    public IList<KubeVirtCondition>? Conditions { get; set; }
}
