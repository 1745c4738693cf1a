using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.TrainingJobs.Builders;

/// <summary>The NetworkPolicy <c>&lt;job&gt;</c> that confines a PHI or LimitedDataSet job's workers.</summary>
public static class TrainingNetworkPolicyBuilder
{
    /// <summary>
    /// The policy for a PHI or LimitedDataSet job; null for DeIdentified and Public. It selects
    /// the job's workers and allows:
    /// <list type="bullet">
    /// <item>ingress only from the job's own workers (any port: collective backends such as
    /// NCCL and Gloo open ports of their own besides <c>MASTER_PORT</c>);</item>
    /// <item>egress to DNS (UDP and TCP 53 to pods labelled <c>k8s-app: kube-dns</c>, as for
    /// models);</item>
    /// <item>egress to the job's own workers;</item>
    /// <item>egress to each of <paramref name="phiEgressCidrs"/> (<c>ipBlock</c>, all ports).</item>
    /// </list>
    /// </summary>
    public static V1NetworkPolicy? Build(V1Alpha1TrainingJob job, IReadOnlyList<string> phiEgressCidrs)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(phiEgressCidrs);
        if (!DataConfinement.IsConfined(job.Spec.DataClassification))
        {
            return null;
        }
        var owner = ChildOwner.Of(job);
        // Workers talk to each other (rendezvous, collectives) and to nothing else.
        IList<V1NetworkPolicyIngressRule> ingress = [new V1NetworkPolicyIngressRule { FromProperty = [DataConfinement.OwnPods(owner)] }];
        return DataConfinement.Policy(owner, ChildComponent.Training, ingress, DataConfinement.OwnPods(owner), phiEgressCidrs);
    }
}
