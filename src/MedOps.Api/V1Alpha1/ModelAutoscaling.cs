using System.ComponentModel;
using System.Text.Json.Serialization;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>
/// Horizontal autoscaling of the inference server on CPU utilisation. That
/// <see cref="MinReplicas"/> ≤ <see cref="MaxReplicas"/> is checked by the controller.
/// </summary>
public sealed class ModelAutoscaling
{
    /// <summary>The autoscaler's lower bound.</summary>
    [JsonPropertyName("minReplicas")]
    [Description("Fewest replicas the HorizontalPodAutoscaler keeps; must not exceed maxReplicas. A PodDisruptionBudget (maxUnavailable 1) is added from 2.")]
    [DefaultValue(1)]
    [Minimum(1)]
    public int MinReplicas { get; set; } = 1;

    /// <summary>The autoscaler's upper bound.</summary>
    [JsonPropertyName("maxReplicas")]
    [Description("Most replicas the HorizontalPodAutoscaler may create; bounds the GPUs this model can take.")]
    [Required]
    [Minimum(1)]
    public int MaxReplicas { get; set; }

    /// <summary>The CPU utilisation to hold.</summary>
    [JsonPropertyName("targetCPUUtilizationPercentage")]
    [Description("Average CPU utilisation, in percent of the CPU request, that the autoscaler aims for.")]
    [DefaultValue(80)]
    [Minimum(1)]
    [Maximum(100)]
    public int TargetCPUUtilizationPercentage { get; set; } = 80;
}
