using System.ComponentModel;
using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>Worker pods of the current attempt by state.</summary>
public sealed class WorkerCounts
{
    /// <summary>Workers that are pending or running.</summary>
    [JsonPropertyName("active")]
    [Description("Workers of the current attempt that are pending or running.")]
    public int Active { get; set; }

    /// <summary>Workers that exited successfully.</summary>
    [JsonPropertyName("succeeded")]
    [Description("Workers of the current attempt that exited successfully.")]
    public int Succeeded { get; set; }

    /// <summary>Workers that failed.</summary>
    [JsonPropertyName("failed")]
    [Description("Workers of the current attempt that failed.")]
    public int Failed { get; set; }
}
