using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.TrainingJobs.Builders;

/// <summary>
/// The headless Service <c>&lt;job&gt;</c> that gives every worker the DNS name
/// <c>&lt;job&gt;-worker-&lt;rank&gt;.&lt;job&gt;.&lt;namespace&gt;.svc</c> (with the pods' hostname
/// and subdomain), so worker 0 is reachable as <c>MASTER_ADDR</c>.
/// </summary>
public static class TrainingServiceBuilder
{
    /// <summary>The name of the rendezvous port.</summary>
    public const string MasterPortName = "master";

    /// <summary>
    /// Builds the Service: <c>clusterIP: None</c>, <c>publishNotReadyAddresses: true</c> (workers
    /// rendezvous before any of them is ready), selecting the job's pods by its selector label.
    /// </summary>
    public static V1Service Build(V1Alpha1TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var owner = ChildOwner.Of(job);
        return new V1Service
        {
            ApiVersion = V1Service.KubeApiVersion,
            Kind = V1Service.KubeKind,
            Metadata = ChildMetadata.Create(owner, ChildComponent.Training),
            Spec = new V1ServiceSpec
            {
                ClusterIP = "None",
                PublishNotReadyAddresses = true,
                Selector = ChildMetadata.SelectorLabels(owner),
                Ports =
                [
                    new V1ServicePort
                    {
                        Name = MasterPortName,
                        Protocol = "TCP",
                        Port = TrainingWorkers.MasterPort,
                        TargetPort = TrainingWorkers.MasterPort,
                    },
                ],
            },
        };
    }
}
