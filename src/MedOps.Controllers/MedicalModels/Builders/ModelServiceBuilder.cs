using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.MedicalModels.Builders;

/// <summary>The MedicalModel's ClusterIP Service <c>&lt;name&gt;</c>: <c>spec.runtime.port</c> → the pods' <c>http</c> port.</summary>
public static class ModelServiceBuilder
{
    /// <summary>
    /// Builds the Service: type ClusterIP, one TCP port named <c>http</c> on
    /// <c>spec.runtime.port</c> with target port <c>http</c> (by name, so a port change
    /// follows the container), selecting the model's pods by their selector label.
    /// </summary>
    public static V1Service Build(V1Alpha1MedicalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var owner = ChildOwner.Of(model);
        return new V1Service
        {
            ApiVersion = V1Service.KubeApiVersion,
            Kind = V1Service.KubeKind,
            Metadata = ChildMetadata.Create(owner, ChildComponent.Inference),
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = ChildMetadata.SelectorLabels(owner),
                Ports =
                [
                    new V1ServicePort
                    {
                        Name = ModelDeploymentBuilder.HttpPortName,
                        Protocol = "TCP",
                        Port = ModelDeploymentBuilder.Port(model.Spec.Runtime),
                        TargetPort = ModelDeploymentBuilder.HttpPortName,
                    },
                ],
            },
        };
    }
}
