using System.Text.Json;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;

namespace MedOps.Controllers.Tests.MedicalModels.Builders;

public class ModelNetworkPolicyBuilderTests
{
    private static readonly string[] Cidrs = ["10.20.0.0/16", "52.216.0.0/15"];

    private static V1NetworkPolicy Policy(DataClassification classification = DataClassification.PHI, IReadOnlyList<string>? cidrs = null) =>
        ModelNetworkPolicyBuilder.Build(TestModels.ChestXray(s => s.DataClassification = classification), cidrs ?? Cidrs)
        ?? throw new InvalidOperationException("no policy");

    [Theory]
    [InlineData(DataClassification.PHI, true)]
    [InlineData(DataClassification.LimitedDataSet, true)]
    [InlineData(DataClassification.DeIdentified, false)]
    [InlineData(DataClassification.Public, false)]
    public void Only_phi_and_limited_data_set_models_are_confined(DataClassification classification, bool confined)
    {
        var policy = ModelNetworkPolicyBuilder.Build(TestModels.ChestXray(s => s.DataClassification = classification), Cidrs);

        Assert.Equal(confined, policy is not null);
        Assert.Equal(confined, ModelNetworkPolicyBuilder.IsConfined(classification));
    }

    [Fact]
    public void The_default_classification_is_confined()
    {
        var model = TestModels.ChestXray();
        model.Spec = new V1Alpha1MedicalModelSpec { Version = "1", Source = model.Spec.Source, Runtime = model.Spec.Runtime, Resources = model.Spec.Resources };

        Assert.NotNull(ModelNetworkPolicyBuilder.Build(model, []));
    }

    [Fact]
    public void The_policy_is_a_networking_v1_policy_named_after_the_model()
    {
        var policy = Policy();

        Assert.Equal("networking.k8s.io/v1", policy.ApiVersion);
        Assert.Equal("NetworkPolicy", policy.Kind);
        Assert.Equal(TestModels.Name, policy.Metadata.Name);
        Assert.Equal(TestModels.Namespace, policy.Metadata.NamespaceProperty);
    }

    [Fact]
    public void The_policy_selects_the_model_pods_in_both_directions()
    {
        var spec = Policy().Spec;

        Assert.Equal(TestModels.SelectorLabels, spec.PodSelector.MatchLabels);
        Assert.Equal(["Ingress", "Egress"], spec.PolicyTypes);
    }

    [Fact]
    public void Ingress_is_only_the_serving_port_from_the_namespace_and_inference_client_namespaces()
    {
        var rule = Assert.Single(Policy().Spec.Ingress);

        var port = Assert.Single(rule.Ports);
        Assert.Equal(("TCP", "8000"), (port.Protocol, port.Port.Value));
        Assert.Equal(2, rule.FromProperty.Count);
        var sameNamespace = rule.FromProperty[0];
        Assert.Null(sameNamespace.NamespaceSelector);
        Assert.Null(sameNamespace.PodSelector.MatchLabels);
        Assert.Null(sameNamespace.PodSelector.MatchExpressions);
        var clients = rule.FromProperty[1];
        Assert.Null(clients.PodSelector);
        Assert.Equal(new Dictionary<string, string> { ["medops.io/inference-client"] = "true" }, clients.NamespaceSelector.MatchLabels);
    }

    [Fact]
    public void Egress_allows_dns_to_the_cluster_dns_pods_only()
    {
        var dns = Policy().Spec.Egress[0];

        Assert.Equal([("UDP", "53"), ("TCP", "53")], dns.Ports.Select(p => (p.Protocol, p.Port.Value)));
        var peer = Assert.Single(dns.To);
        Assert.NotNull(peer.NamespaceSelector);
        Assert.Null(peer.NamespaceSelector.MatchLabels);
        Assert.Equal(new Dictionary<string, string> { ["k8s-app"] = "kube-dns" }, peer.PodSelector.MatchLabels);
        Assert.Null(peer.IpBlock);
    }

    [Fact]
    public void Egress_allows_every_pod_of_the_namespace()
    {
        var sameNamespace = Policy().Spec.Egress[1];

        Assert.Null(sameNamespace.Ports);
        var peer = Assert.Single(sameNamespace.To);
        Assert.Null(peer.NamespaceSelector);
        Assert.NotNull(peer.PodSelector);
        Assert.Null(peer.PodSelector.MatchLabels);
    }

    [Fact]
    public void Egress_allows_each_configured_cidr_on_all_ports()
    {
        var egress = Policy().Spec.Egress;

        Assert.Equal(3, egress.Count);
        Assert.Null(egress[2].Ports);
        Assert.Equal(Cidrs, egress[2].To.Select(p => p.IpBlock.Cidr));
        Assert.All(egress[2].To, p => Assert.Null(p.IpBlock.Except));
    }

    [Fact]
    public void Without_configured_cidrs_only_dns_and_the_namespace_are_reachable()
    {
        var egress = Policy(cidrs: []).Spec.Egress;

        Assert.Equal(2, egress.Count);
        Assert.DoesNotContain(egress.SelectMany(r => r.To), p => p.IpBlock is not null);
    }

    [Fact]
    public void Repeated_cidrs_appear_once()
    {
        var egress = Policy(cidrs: ["10.0.0.0/8", "10.0.0.0/8", "192.168.0.0/16"]).Spec.Egress;

        Assert.Equal(["10.0.0.0/8", "192.168.0.0/16"], egress[2].To.Select(p => p.IpBlock.Cidr));
    }

    [Fact]
    public void Empty_selectors_go_over_the_wire_as_empty_objects()
    {
        var json = JsonDocument.Parse(KubernetesJson.Serialize(Policy())).RootElement.GetProperty("spec");

        var from = json.GetProperty("ingress")[0].GetProperty("from");
        Assert.Equal("{}", from[0].GetProperty("podSelector").GetRawText());
        Assert.Equal(8000, json.GetProperty("ingress")[0].GetProperty("ports")[0].GetProperty("port").GetInt32());
        Assert.Equal("{}", json.GetProperty("egress")[0].GetProperty("to")[0].GetProperty("namespaceSelector").GetRawText());
        Assert.Equal("{}", json.GetProperty("egress")[1].GetProperty("to")[0].GetProperty("podSelector").GetRawText());
        Assert.Equal("10.20.0.0/16", json.GetProperty("egress")[2].GetProperty("to")[0].GetProperty("ipBlock").GetProperty("cidr").GetString());
    }
}
