using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;
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
        if (!ModelNetworkPolicyBuilder.IsConfined(job.Spec.DataClassification))
        {
            return null;
        }
        var owner = ChildOwner.Of(job);
        var workers = new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = ChildMetadata.SelectorLabels(owner) } };
        var egress = new List<V1NetworkPolicyEgressRule>
        {
            new()
            {
                To =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector(),
                        PodSelector = new V1LabelSelector
                        {
                            MatchLabels = new Dictionary<string, string> { [ModelNetworkPolicyBuilder.DnsPodLabel] = ModelNetworkPolicyBuilder.DnsPodLabelValue },
                        },
                    },
                ],
                Ports =
                [
                    new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 },
                    new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 },
                ],
            },
            new() { To = [workers] },
        };
        var cidrs = phiEgressCidrs.Where(c => !string.IsNullOrEmpty(c)).Distinct(StringComparer.Ordinal).ToList();
        if (cidrs.Count > 0)
        {
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To = [.. cidrs.Select(cidr => new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = cidr } })],
            });
        }
        return new V1NetworkPolicy
        {
            ApiVersion = $"{V1NetworkPolicy.KubeGroup}/{V1NetworkPolicy.KubeApiVersion}",
            Kind = V1NetworkPolicy.KubeKind,
            Metadata = ChildMetadata.Create(owner, ChildComponent.Training),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = ChildMetadata.SelectorLabels(owner) },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule
                    {
                        FromProperty =
                        [
                            new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = ChildMetadata.SelectorLabels(owner) } },
                        ],
                    },
                ],
                Egress = egress,
            },
        };
    }
}
