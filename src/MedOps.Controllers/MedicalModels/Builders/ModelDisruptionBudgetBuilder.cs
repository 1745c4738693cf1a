using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.MedicalModels.Builders;

/// <summary>The MedicalModel's PodDisruptionBudget <c>&lt;name&gt;</c>: at most one server down at a time during drains.</summary>
public static class ModelDisruptionBudgetBuilder
{
    /// <summary>The apiVersion the builder writes.</summary>
    public const string ApiVersion = "policy/v1";

    /// <summary>
    /// The apiVersion to send instead on clusters that do not serve <see cref="ApiVersion"/>
    /// (before 1.21). With a non-empty selector and <c>maxUnavailable</c> the object means the
    /// same in both versions.
    /// </summary>
    public const string LegacyApiVersion = "policy/v1beta1";

    /// <summary>
    /// The fewest replicas the model is meant to run: <c>autoscaling.minReplicas</c> when
    /// autoscaling is set, else <c>spec.replicas</c> (suspension not considered).
    /// </summary>
    public static int MinimumReplicas(V1Alpha1MedicalModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Autoscaling?.MinReplicas ?? spec.Replicas;
    }

    /// <summary>
    /// The budget (<c>maxUnavailable: 1</c>, selecting the model's pods) when the model is not
    /// suspended and <see cref="MinimumReplicas"/> is at least 2; null otherwise. With a single
    /// replica a budget would block every node drain, which is why it starts at 2.
    /// </summary>
    public static V1PodDisruptionBudget? Build(V1Alpha1MedicalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Spec.Suspend || MinimumReplicas(model.Spec) < 2)
        {
            return null;
        }
        var owner = ChildOwner.Of(model);
        return new V1PodDisruptionBudget
        {
            ApiVersion = ApiVersion,
            Kind = V1PodDisruptionBudget.KubeKind,
            Metadata = ChildMetadata.Create(owner, ChildComponent.Inference),
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = 1,
                Selector = new V1LabelSelector { MatchLabels = ChildMetadata.SelectorLabels(owner) },
            },
        };
    }
}
