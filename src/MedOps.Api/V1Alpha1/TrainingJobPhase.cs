using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>The one-word state of a TrainingJob shown by <c>kubectl get tj</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainingJobPhase>))]
public enum TrainingJobPhase
{
    /// <summary>Workers are created but not all are running yet.</summary>
    Pending,

    /// <summary>Every worker of the current attempt is running.</summary>
    Running,

    /// <summary>A worker failed; the attempt's pods are being replaced by a new attempt.</summary>
    Restarting,

    /// <summary>Every worker finished successfully.</summary>
    Succeeded,

    /// <summary>The backoff limit or the deadline was exceeded (a spec that cannot be run is Pending and Stalled, not Failed).</summary>
    Failed,

    /// <summary>Workers stopped because spec.suspend is true.</summary>
    Suspended,
}
