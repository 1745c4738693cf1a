using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>The one-word state of a Workspace shown by <c>kubectl get ws</c>, from its VirtualMachine.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkspacePhase>))]
public enum WorkspacePhase
{
    /// <summary>The root disk is being imported or cloned.</summary>
    Provisioning,

    /// <summary>The virtual machine is booting.</summary>
    Starting,

    /// <summary>The virtual machine is running.</summary>
    Running,

    /// <summary>The virtual machine is shutting down.</summary>
    Stopping,

    /// <summary>The virtual machine is off; the disk is kept.</summary>
    Stopped,

    /// <summary>The virtual machine failed or cannot be created: see the Stalled condition.</summary>
    Failed,
}
