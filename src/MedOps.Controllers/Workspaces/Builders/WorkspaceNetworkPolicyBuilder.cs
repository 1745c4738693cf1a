using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.Workspaces.Builders;

/// <summary>
/// The NetworkPolicy <c>&lt;name&gt;</c> that confines a PHI or LimitedDataSet workspace's VM
/// (its virt-launcher pod carries the template label <c>medops.io/workspace: &lt;name&gt;</c>).
/// </summary>
public static class WorkspaceNetworkPolicyBuilder
{
    /// <summary>
    /// The policy for a PHI or LimitedDataSet workspace; null for DeIdentified and Public. It
    /// selects the VM's pod and allows, with the MedicalModel policy's choices:
    /// <list type="bullet">
    /// <item>ingress from pods of the same namespace only, on any port (SSH, RDP, Jupyter: a
    /// workspace has no single serving port), and from nowhere else;</item>
    /// <item>egress to DNS (UDP/TCP 53 to pods labelled <c>k8s-app: kube-dns</c>), to any pod of
    /// the same namespace, and to each of <paramref name="phiEgressCidrs"/>.</item>
    /// </list>
    /// </summary>
    public static V1NetworkPolicy? Build(V1Alpha1Workspace workspace, IReadOnlyList<string> phiEgressCidrs)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(phiEgressCidrs);
        if (!ModelNetworkPolicyBuilder.IsConfined(workspace.Spec.DataClassification))
        {
            return null;
        }
        var owner = ChildOwner.Of(workspace);
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
            Metadata = ChildMetadata.Create(owner, ChildComponent.Workspace),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = ChildMetadata.SelectorLabels(owner) },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() }] }],
                Egress = egress,
            },
        };
    }
}
