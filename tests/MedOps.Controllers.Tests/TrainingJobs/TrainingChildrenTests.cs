using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs.Builders;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class TrainingChildrenTests
{
    private static readonly string[] Cidrs = ["10.20.0.0/16"];

    [Fact]
    public void The_service_is_headless_publishes_not_ready_workers_and_selects_the_jobs_pods()
    {
        var service = TrainingServiceBuilder.Build(TestJobs.ChestXray());

        Assert.Equal(TestJobs.Name, service.Metadata.Name);
        Assert.Equal(TestJobs.Namespace, service.Metadata.NamespaceProperty);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.True(service.Spec.PublishNotReadyAddresses);
        Assert.Equal(new Dictionary<string, string> { ["medops.io/trainingjob"] = TestJobs.Name }, service.Spec.Selector);
        Assert.Equal("training", service.Metadata.Labels["app.kubernetes.io/component"]);
        Assert.DoesNotContain("app.kubernetes.io/instance", service.Metadata.Labels.Keys);
        Assert.Equal(29500, Assert.Single(service.Spec.Ports).Port);
        Assert.Equal(TestJobs.Uid, Assert.Single(service.Metadata.OwnerReferences).Uid);
    }

    [Theory]
    [InlineData(DataClassification.PHI, true)]
    [InlineData(DataClassification.LimitedDataSet, true)]
    [InlineData(DataClassification.DeIdentified, false)]
    [InlineData(DataClassification.Public, false)]
    public void Only_phi_and_limited_data_set_jobs_get_a_network_policy(DataClassification classification, bool confined) =>
        Assert.Equal(confined, TrainingNetworkPolicyBuilder.Build(TestJobs.ChestXray(s => s.DataClassification = classification), Cidrs) is not null);

    [Fact]
    public void Workers_accept_traffic_only_from_each_other()
    {
        var policy = TrainingNetworkPolicyBuilder.Build(TestJobs.ChestXray(), Cidrs)!;
        var selector = new Dictionary<string, string> { ["medops.io/trainingjob"] = TestJobs.Name };

        Assert.Equal(selector, policy.Spec.PodSelector.MatchLabels);
        Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
        var ingress = Assert.Single(policy.Spec.Ingress);
        Assert.Null(ingress.Ports);
        var peer = Assert.Single(ingress.FromProperty);
        Assert.Null(peer.NamespaceSelector);
        Assert.Equal(selector, peer.PodSelector.MatchLabels);
    }

    [Fact]
    public void Workers_reach_only_dns_each_other_and_the_configured_cidrs()
    {
        var policy = TrainingNetworkPolicyBuilder.Build(TestJobs.ChestXray(), ["10.20.0.0/16", "52.216.0.0/15", "10.20.0.0/16", ""])!;
        var egress = policy.Spec.Egress;

        Assert.Equal(3, egress.Count);
        var dns = egress[0];
        Assert.Equal("kube-dns", Assert.Single(dns.To).PodSelector.MatchLabels["k8s-app"]);
        Assert.Equal([("UDP", "53"), ("TCP", "53")], dns.Ports.Select(p => (p.Protocol, p.Port.Value)));
        Assert.Equal(TestJobs.Name, Assert.Single(egress[1].To).PodSelector.MatchLabels["medops.io/trainingjob"]);
        Assert.Null(egress[1].Ports);
        Assert.Equal(["10.20.0.0/16", "52.216.0.0/15"], egress[2].To.Select(t => t.IpBlock.Cidr));
    }

    [Fact]
    public void Without_cidrs_there_is_no_ip_block_rule()
    {
        var policy = TrainingNetworkPolicyBuilder.Build(TestJobs.ChestXray(), [])!;

        Assert.Equal(2, policy.Spec.Egress.Count);
        Assert.All(policy.Spec.Egress, rule => Assert.All(rule.To, peer => Assert.Null(peer.IpBlock)));
    }
}
