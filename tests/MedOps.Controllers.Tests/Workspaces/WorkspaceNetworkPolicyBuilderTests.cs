using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Workspaces.Builders;

namespace MedOps.Controllers.Tests.Workspaces;

public class WorkspaceNetworkPolicyBuilderTests
{
    private static readonly string[] Cidrs = ["10.20.0.0/16", "52.216.0.0/15"];

    [Theory]
    [InlineData(DataClassification.PHI, true)]
    [InlineData(DataClassification.LimitedDataSet, true)]
    [InlineData(DataClassification.DeIdentified, false)]
    [InlineData(DataClassification.Public, false)]
    public void Only_phi_and_limited_data_set_workspaces_are_confined(DataClassification classification, bool confined)
    {
        var policy = WorkspaceNetworkPolicyBuilder.Build(TestWorkspaces.DrSmith(s => s.DataClassification = classification), Cidrs);

        Assert.Equal(confined, policy is not null);
    }

    [Fact]
    public void The_policy_selects_the_vm_pod_by_the_workspace_label_and_carries_child_metadata()
    {
        var policy = WorkspaceNetworkPolicyBuilder.Build(TestWorkspaces.DrSmith(), Cidrs)!;

        Assert.Equal("networking.k8s.io/v1", policy.ApiVersion);
        Assert.Equal(TestWorkspaces.Name, policy.Metadata.Name);
        Assert.Equal(TestWorkspaces.Namespace, policy.Metadata.NamespaceProperty);
        Assert.Equal(new Dictionary<string, string> { ["medops.io/workspace"] = TestWorkspaces.Name }, policy.Spec.PodSelector.MatchLabels);
        Assert.Equal(TestWorkspaces.ChildLabels, policy.Metadata.Labels);
        Assert.Equal(TestWorkspaces.Uid, Assert.Single(policy.Metadata.OwnerReferences).Uid);
        Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
    }

    [Fact]
    public void Ingress_is_only_from_the_same_namespace()
    {
        var rule = Assert.Single(WorkspaceNetworkPolicyBuilder.Build(TestWorkspaces.DrSmith(), Cidrs)!.Spec.Ingress);

        var peer = Assert.Single(rule.FromProperty);
        Assert.NotNull(peer.PodSelector);
        Assert.Null(peer.PodSelector.MatchLabels);
        Assert.Null(peer.NamespaceSelector);
        Assert.Null(rule.Ports);
    }

    [Fact]
    public void Egress_is_dns_the_namespace_and_the_configured_cidrs()
    {
        var egress = WorkspaceNetworkPolicyBuilder.Build(TestWorkspaces.DrSmith(), Cidrs)!.Spec.Egress;

        Assert.Equal(3, egress.Count);
        var dns = egress[0];
        Assert.Equal("kube-dns", Assert.Single(dns.To).PodSelector.MatchLabels["k8s-app"]);
        Assert.Equal([("UDP", "53"), ("TCP", "53")], dns.Ports.Select(p => (p.Protocol, p.Port.Value)));
        var sameNamespace = Assert.Single(egress[1].To);
        Assert.NotNull(sameNamespace.PodSelector);
        Assert.Null(sameNamespace.NamespaceSelector);
        Assert.Equal(Cidrs, egress[2].To.Select(t => t.IpBlock.Cidr));
    }

    [Fact]
    public void Without_cidrs_there_is_no_ip_block_rule()
    {
        var egress = WorkspaceNetworkPolicyBuilder.Build(TestWorkspaces.DrSmith(s => s.DataClassification = DataClassification.LimitedDataSet), [])!.Spec.Egress;

        Assert.Equal(2, egress.Count);
        Assert.DoesNotContain(egress, r => r.To.Any(t => t.IpBlock is not null));
    }
}
