using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The observed state of a Workspace, written by the operator through the status subresource.</summary>
public sealed class V1Alpha1WorkspaceStatus
{
    /// <summary>The generation this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    [Description("The metadata.generation this status describes; the conditions are current when it equals metadata.generation.")]
    public long? ObservedGeneration { get; set; }

    /// <summary>The one-word state.</summary>
    [JsonPropertyName("phase")]
    [Description("One-word state for people, from the VirtualMachine's printableStatus and ready: Provisioning, Starting, Running, Stopping, Stopped or Failed.")]
    public WorkspacePhase? Phase { get; set; }

    /// <summary>Ready, Reconciling and Stalled.</summary>
    [JsonPropertyName("conditions")]
    [Description("Ready (running and ready, or stopped when running is false), Reconciling and Stalled (a person must act, for example reason KubeVirtNotInstalled).")]
    [ListMapKey("type")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>The VirtualMachine's name.</summary>
    [JsonPropertyName("vmName")]
    [Description("Name of the KubeVirt VirtualMachine backing the workspace, in the same namespace.")]
    public string? VmName { get; set; }

    /// <summary>The root disk's size as its claim reports it.</summary>
    [JsonPropertyName("diskCapacity")]
    [Description("Capacity of the root disk's PersistentVolumeClaim as the storage reports it; below spec.disk.size while the disk grows (condition DiskResizing).")]
    public string? DiskCapacity { get; set; }

    /// <summary>When the running session began.</summary>
    [JsonPropertyName("sessionStartTime")]
    [Description("When the virtual machine last reached Running; cleared once it is stopped. spec.lifecycle.maxSessionDuration counts from here.")]
    public DateTime? SessionStartTime { get; set; }

    /// <summary>The stop the lifecycle announced or made.</summary>
    [JsonPropertyName("scheduledStop")]
    [Description("The stop spec.lifecycle announced (time in the future, after the ShutdownScheduled Warning event) or made (time in the past: stopped since then, until someone sets running: true).")]
    public WorkspaceScheduledStop? ScheduledStop { get; set; }

    /// <summary>When someone was last seen logged in to the guest.</summary>
    [JsonPropertyName("lastActivityTime")]
    [Description("When the guest agent last reported a logged-in user (or the session start, if nobody has logged in since); spec.lifecycle.idleTimeout counts from here. Set only for workspaces with an idle timeout.")]
    public DateTime? LastActivityTime { get; set; }
}
