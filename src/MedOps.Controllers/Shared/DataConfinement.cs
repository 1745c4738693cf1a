using k8s.Models;
using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Shared;

/// <summary>
/// The network confinement every MedOps workload handling PHI or a limited data set gets: a
/// NetworkPolicy over its pods that allows egress only to cluster DNS, to the peers the kind
/// names (its namespace, its own workers) and to the operator's configured CIDRs. Each kind
/// decides its ingress; the egress rules are the same everywhere, so they live here once.
/// </summary>
public static class DataConfinement
{
    /// <summary>Label of the cluster DNS pods (kube-dns and CoreDNS both carry it).</summary>
    public const string DnsPodLabel = "k8s-app";

    /// <summary>Value of <see cref="DnsPodLabel"/> on the cluster DNS pods.</summary>
    public const string DnsPodLabelValue = "kube-dns";

    /// <summary>True for the classifications whose workloads are confined.</summary>
    public static bool IsConfined(DataClassification classification) =>
        classification is DataClassification.PHI or DataClassification.LimitedDataSet;

    /// <summary>A peer selecting every pod of the policy's namespace.</summary>
    public static V1NetworkPolicyPeer SameNamespace() => new() { PodSelector = new V1LabelSelector() };

    /// <summary>A peer selecting the owner's own pods.</summary>
    public static V1NetworkPolicyPeer OwnPods(ChildOwner owner) =>
        new() { PodSelector = new V1LabelSelector { MatchLabels = ChildMetadata.SelectorLabels(owner) } };

    /// <summary>
    /// The NetworkPolicy <c>&lt;name&gt;</c> over the owner's pods with <paramref name="ingress"/> and
    /// the shared egress: DNS (UDP and TCP 53, to the cluster DNS pods only, so PHI cannot leave
    /// through an arbitrary resolver), <paramref name="egressPeer"/>, and each configured CIDR.
    /// </summary>
    public static V1NetworkPolicy Policy(
        ChildOwner owner,
        string component,
        IList<V1NetworkPolicyIngressRule> ingress,
        V1NetworkPolicyPeer egressPeer,
        IReadOnlyList<string> egressCidrs)
    {
        ArgumentNullException.ThrowIfNull(egressCidrs);
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
            new() { To = [egressPeer] },
        };
        var cidrs = egressCidrs.Where(c => !string.IsNullOrEmpty(c)).Distinct(StringComparer.Ordinal).ToList();
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
            Metadata = ChildMetadata.Create(owner, component),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = ChildMetadata.SelectorLabels(owner) },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = ingress,
                Egress = egress,
            },
        };
    }
}
