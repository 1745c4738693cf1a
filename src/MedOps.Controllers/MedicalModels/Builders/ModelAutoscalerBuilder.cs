using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.MedicalModels.Builders;

/// <summary>The MedicalModel's HorizontalPodAutoscaler <c>&lt;name&gt;</c>, on CPU utilisation.</summary>
public static class ModelAutoscalerBuilder
{
    /// <summary>The apiVersion the builder writes.</summary>
    public const string ApiVersion = "autoscaling/v2";

    /// <summary>
    /// The apiVersion to send instead on clusters that do not serve <see cref="ApiVersion"/>
    /// (before 1.23). The fields used here have the same schema in both versions, so the same
    /// object with <c>apiVersion</c> replaced is valid there; the writer stamps the served version.
    /// </summary>
    public const string LegacyApiVersion = "autoscaling/v2beta2";

    /// <summary>
    /// The autoscaler when <c>spec.autoscaling</c> is set and the model is not suspended; null
    /// otherwise (the reconciler deletes an existing one). It scales the apps/v1 Deployment
    /// <c>&lt;name&gt;</c> between minReplicas and maxReplicas on average CPU utilisation.
    /// </summary>
    public static V2HorizontalPodAutoscaler? Build(V1Alpha1MedicalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = model.Spec;
        if (spec.Autoscaling is not { } autoscaling || spec.Suspend)
        {
            return null;
        }
        var owner = ChildOwner.Of(model);
        return new V2HorizontalPodAutoscaler
        {
            ApiVersion = ApiVersion,
            Kind = V2HorizontalPodAutoscaler.KubeKind,
            Metadata = ChildMetadata.Create(owner, ChildComponent.Inference),
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference
                {
                    ApiVersion = $"{V1Deployment.KubeGroup}/{V1Deployment.KubeApiVersion}",
                    Kind = V1Deployment.KubeKind,
                    Name = owner.Name,
                },
                MinReplicas = autoscaling.MinReplicas,
                MaxReplicas = autoscaling.MaxReplicas,
                Metrics =
                [
                    new V2MetricSpec
                    {
                        Type = "Resource",
                        Resource = new V2ResourceMetricSource
                        {
                            Name = "cpu",
                            Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = autoscaling.TargetCPUUtilizationPercentage },
                        },
                    },
                ],
            },
        };
    }
}
