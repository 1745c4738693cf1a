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
    public const string DnsPodLabel = DataConfinement.DnsPodLabel;

    /// <summary>The value of <see cref="DnsPodLabel"/> on the cluster DNS pods.</summary>
    public const string DnsPodLabelValue = DataConfinement.DnsPodLabelValue;

    /// <summary>Whether data of this classification gets a NetworkPolicy: PHI and LimitedDataSet.</summary>
    public static bool IsConfined(DataClassification classification) => DataConfinement.IsConfined(classification);

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
        IList<V1NetworkPolicyIngressRule> ingress =
        [
            new V1NetworkPolicyIngressRule
            {
                Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = ModelDeploymentBuilder.Port(model.Spec.Runtime) }],
                FromProperty =
                [
                    DataConfinement.SameNamespace(),
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [InferenceClientLabel] = "true" } },
                    },
                ],
            },
        ];
        return DataConfinement.Policy(owner, ChildComponent.Inference, ingress, DataConfinement.SameNamespace(), phiEgressCidrs);
    }
}
