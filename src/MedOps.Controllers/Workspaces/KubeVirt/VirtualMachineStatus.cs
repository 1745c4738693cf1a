using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary><c>VirtualMachine.status</c>, the fields MedOps reads.</summary>
public sealed class VirtualMachineStatus
{
    /// <summary>
    /// KubeVirt's one-word state: <c>Provisioning</c>, <c>Starting</c>, <c>Running</c>,
    /// <c>Stopping</c>, <c>Stopped</c>, <c>Paused</c>, <c>Migrating</c>, <c>Terminating</c>, or an
    /// error such as <c>ErrorUnschedulable</c>, <c>DataVolumeError</c>, <c>ErrorPvcNotFound</c>,
    /// <c>CrashLoopBackOff</c>, <c>ImagePullBackOff</c>.
    /// </summary>
    [JsonPropertyName("printableStatus")]
    public string? PrintableStatus { get; set; }

    /// <summary>The instance is up and ready.</summary>
    [JsonPropertyName("ready")]
    public bool? Ready { get; set; }

    /// <summary>An instance exists.</summary>
    [JsonPropertyName("created")]
    public bool? Created { get; set; }

    /// <summary>The VM generation virt-controller has acted on.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>Conditions (Ready, RestartRequired, …).</summary>
    [JsonPropertyName("conditions")]
    public IList<KubeVirtCondition>? Conditions { get; set; }
}
