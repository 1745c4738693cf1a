using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.MedicalModels.Builders;

/// <summary>
/// The NetworkPolicy <c>&lt;name&gt;</c> that confines a PHI or LimitedDataSet model's pods.
/// </summary>
public static class ModelNetworkPolicyBuilder
{
    /// <summary>The namespace label that admits a namespace's pods as inference clients.</summary>
    public const string InferenceClientLabel = "medops.io/inference-client";

    /// <summary>The pod label of the cluster DNS server that egress is allowed to.</summary>
    public const string DnsPodLabel = "k8s-app";

    /// <summary>The value of <see cref="DnsPodLabel"/> on the cluster DNS pods.</summary>
    public const string DnsPodLabelValue = "kube-dns";

    /// <summary>Whether data of this classification gets a NetworkPolicy: PHI and LimitedDataSet.</summary>
    public static bool IsConfined(DataClassification classification) =>
        classification is DataClassification.PHI or DataClassification.LimitedDataSet;

    /// <summary>
    /// The policy for a PHI or LimitedDataSet model; null for DeIdentified and Public. It selects
    /// the model's pods and allows:
    /// <list type="bullet">
    /// <item>ingress on the serving port (TCP) only, from pods of the same namespace and from
    /// namespaces labelled <c>medops.io/inference-client: "true"</c>;</item>
    /// <item>egress to DNS: UDP and TCP 53 to pods labelled <c>k8s-app: kube-dns</c> in any
    /// namespace, the label that both kube-dns and CoreDNS carry in kubeadm, kind, GKE, EKS and
    /// AKS. Not "port 53 anywhere": that would let PHI leave by DNS to any resolver. Clusters
    /// whose pods resolve through NodeLocal DNSCache (169.254.20.10) or another address add it
    /// to <c>guardrails.phiEgressCIDRs</c>;</item>
    /// <item>egress to any pod of the same namespace;</item>
    /// <item>egress to each of <paramref name="phiEgressCidrs"/> (<c>ipBlock</c>, all ports): the
    /// object store that the model initializer downloads from must be among them.</item>
    /// </list>
    /// </summary>
    public static V1NetworkPolicy? Build(V1Alpha1MedicalModel model, IReadOnlyList<string> phiEgressCidrs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(phiEgressCidrs);
        if (!IsConfined(model.Spec.DataClassification))
        {
            return null;
        }
        var owner = ChildOwner.Of(model);
        var egress = new List<V1NetworkPolicyEgressRule>
        {
            new()
            {
                To =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector(),
                        PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [DnsPodLabel] = DnsPodLabelValue } },
                    },
                ],
                Ports =
                [
                    new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 },
                    new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 },
                ],
            },
            new() { To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() }] },
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
            Metadata = ChildMetadata.Create(owner, ChildComponent.Inference),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = ChildMetadata.SelectorLabels(owner) },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress =
                [
                    new V1NetworkPolicyIngressRule
                    {
                        Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = ModelDeploymentBuilder.Port(model.Spec.Runtime) }],
                        FromProperty =
                        [
                            new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() },
                            new V1NetworkPolicyPeer
                            {
                                NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [InferenceClientLabel] = "true" } },
                            },
                        ],
                    },
                ],
                Egress = egress,
            },
        };
    }
}
