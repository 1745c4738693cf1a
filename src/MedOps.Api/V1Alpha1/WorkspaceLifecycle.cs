using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>
/// When the operator stops a running workspace on its own: when nobody is logged in for a while,
/// after a maximum session length, and outside active hours. Each stop is announced by a Warning event <c>shutdownWarning</c> before,
/// sets <c>running: false</c>, and says why in the status.
/// </summary>
public sealed class WorkspaceLifecycle
{
    /// <summary>The default <see cref="ShutdownWarning"/>.</summary>
    public const string DefaultShutdownWarning = "10m";

    /// <summary>The longest a session may run.</summary>
    [JsonPropertyName("maxSessionDuration")]
    [Description("Longest time the virtual machine runs from a start before the operator stops it (reason MaxSessionReached), as a Go duration such as 8h or 12h30m. Omitted: no limit.")]
    [Pattern(ValidationPatterns.GoDuration)]
    public string? MaxSessionDuration { get; set; }

    /// <summary>How long nobody may be logged in before the workspace is stopped.</summary>
    [JsonPropertyName("idleTimeout")]
    [Description("Stop the workspace (reason Idle) when nobody has been logged in to the guest for this long, as a Go duration such as 30m. The signal is the KubeVirt guest agent's user list (virtctl userlist); without a connected agent nothing counts as idle. Omitted: never for idleness.")]
    [Pattern(ValidationPatterns.GoDuration)]
    public string? IdleTimeout { get; set; }

    /// <summary>The hours the workspace may run.</summary>
    [JsonPropertyName("activeHours")]
    [Description("Daily window in which the workspace may run; outside it a running workspace is stopped (reason OutsideActiveHours). Omitted: any time.")]
    public WorkspaceActiveHours? ActiveHours { get; set; }

    /// <summary>How long before a stop the Warning event comes.</summary>
    [JsonPropertyName("shutdownWarning")]
    [Description("How long before a scheduled stop the Warning event ShutdownScheduled is recorded, as a Go duration (default 10m). A workspace started outside its active hours runs this long before it is stopped.")]
    [DefaultValue(DefaultShutdownWarning)]
    [Pattern(ValidationPatterns.GoDuration)]
    public string ShutdownWarning { get; set; } = DefaultShutdownWarning;
}
