using System.Text.Json;
using k8s;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels;
using MedOps.Controllers.MedicalModels.Builders;

namespace MedOps.Controllers.Tests.MedicalModels.Builders;

public class ModelServiceBuilderTests
{
    [Fact]
    public void The_service_is_a_v1_cluster_ip_service_named_after_the_model()
    {
        var service = ModelServiceBuilder.Build(TestModels.ChestXray());

        Assert.Equal("v1", service.ApiVersion);
        Assert.Equal("Service", service.Kind);
        Assert.Equal(TestModels.Name, service.Metadata.Name);
        Assert.Equal(TestModels.Namespace, service.Metadata.NamespaceProperty);
        Assert.Equal("ClusterIP", service.Spec.Type);
    }

    [Fact]
    public void The_service_maps_the_runtime_port_to_the_named_http_port()
    {
        var port = Assert.Single(ModelServiceBuilder.Build(TestModels.ChestXray()).Spec.Ports);

        Assert.Equal(("http", 8000, "TCP"), (port.Name, port.Port, port.Protocol));
        Assert.Equal("http", port.TargetPort.Value);
    }

    [Fact]
    public void The_target_port_goes_over_the_wire_as_the_string_http()
    {
        var json = JsonDocument.Parse(KubernetesJson.Serialize(ModelServiceBuilder.Build(TestModels.ChestXray()))).RootElement;
        var port = json.GetProperty("spec").GetProperty("ports")[0];

        Assert.Equal(JsonValueKind.String, port.GetProperty("targetPort").ValueKind);
        Assert.Equal("http", port.GetProperty("targetPort").GetString());
        Assert.Equal(8000, port.GetProperty("port").GetInt32());
    }

    [Fact]
    public void The_default_port_is_8080()
    {
        var model = TestModels.ChestXray(s => s.Runtime = new ModelRuntime { Image = "kserve/sklearnserver:v0.14.0" });

        Assert.Equal(8080, Assert.Single(ModelServiceBuilder.Build(model).Spec.Ports).Port);
    }

    [Fact]
    public void The_service_selects_the_model_pods_by_the_selector_label()
    {
        Assert.Equal(TestModels.SelectorLabels, ModelServiceBuilder.Build(TestModels.ChestXray()).Spec.Selector);
    }

    [Fact]
    public void A_suspended_model_keeps_its_service()
    {
        Assert.NotNull(ModelServiceBuilder.Build(TestModels.ChestXray(s => s.Suspend = true)));
    }

    [Fact]
    public void The_endpoint_is_the_service_dns_name_and_port()
    {
        var status = MedicalModelStatusBuilder.Build(new ModelObservation { Model = TestModels.ChestXray() });

        Assert.Equal("http://chest-xray.radiology.svc:8000", status.Endpoint);
    }
}
