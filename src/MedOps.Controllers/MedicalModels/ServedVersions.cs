using k8s.Models;
using MedOps.Runtime.Api;

namespace MedOps.Controllers.MedicalModels;

/// <summary>
/// The HorizontalPodAutoscaler and PodDisruptionBudget versions this cluster serves: current
/// clusters serve only <c>autoscaling/v2</c> and <c>policy/v1</c>, Kubernetes 1.20 only
/// <c>v2beta2</c> and <c>v1beta1</c>. The schemas of the fields MedOps sets are the same, so the
/// builders produce the current types and the writer sends them at the served version.
/// </summary>
public sealed record ServedVersions(ResourceType Autoscaler, ResourceType DisruptionBudget)
{
    /// <summary>Asks discovery once, preferring the current versions.</summary>
    public static async Task<ServedVersions> DiscoverAsync(ApiDiscovery discovery, CancellationToken cancellationToken)
    {
        var hpa = await discovery.FirstServedAsync("autoscaling", "horizontalpodautoscalers", ["v2", "v2beta2"], cancellationToken)
            ?? throw new InvalidOperationException("the cluster serves neither autoscaling/v2 nor autoscaling/v2beta2");
        var pdb = await discovery.FirstServedAsync("policy", "poddisruptionbudgets", ["v1", "v1beta1"], cancellationToken)
            ?? throw new InvalidOperationException("the cluster serves neither policy/v1 nor policy/v1beta1");
        return new ServedVersions(
            ResourceType.For<V2HorizontalPodAutoscaler>() with { Version = hpa },
            ResourceType.For<V1PodDisruptionBudget>() with { Version = pdb });
    }
}
