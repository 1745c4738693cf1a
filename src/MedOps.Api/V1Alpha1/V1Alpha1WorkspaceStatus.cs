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
}
