using System.ComponentModel;
using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>A stop the workspace's lifecycle announced or made.</summary>
public sealed class WorkspaceScheduledStop
{
    /// <summary>Why.</summary>
    [JsonPropertyName("reason")]
    [Description("Why the lifecycle stops the workspace: MaxSessionReached or OutsideActiveHours.")]
    public string Reason { get; set; } = "";

    /// <summary>When.</summary>
    [JsonPropertyName("time")]
    [Description("When the stop happens (announced, in the future) or happened (in the past: the workspace is stopped since then).")]
    public DateTime Time { get; set; }

    /// <summary>True once the stop was made (false while it is only announced).</summary>
    [JsonPropertyName("done")]
    [Description("True once the lifecycle stopped the workspace (running was set to false); false while the stop is only announced.")]
    public bool Done { get; set; }
}
