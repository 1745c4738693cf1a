using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;

namespace MedOps.Controllers.Tests.MedicalModels.Builders;

public class ModelAutoscalerBuilderTests
{
    private static V1Alpha1MedicalModel Autoscaled(bool suspend = false) => TestModels.ChestXray(s =>
    {
        s.Autoscaling = new ModelAutoscaling { MinReplicas = 2, MaxReplicas = 6, TargetCPUUtilizationPercentage = 70 };
        s.Suspend = suspend;
    });

    [Fact]
    public void Without_autoscaling_there_is_no_autoscaler()
    {
        Assert.Null(ModelAutoscalerBuilder.Build(TestModels.ChestXray()));
    }

    [Fact]
    public void A_suspended_model_has_no_autoscaler()
    {
        Assert.Null(ModelAutoscalerBuilder.Build(Autoscaled(suspend: true)));
    }

    [Fact]
    public void An_autoscaled_model_gets_an_autoscaling_v2_autoscaler_named_after_it()
    {
        var hpa = ModelAutoscalerBuilder.Build(Autoscaled());

        Assert.NotNull(hpa);
        Assert.Equal("autoscaling/v2", hpa.ApiVersion);
        Assert.Equal("HorizontalPodAutoscaler", hpa.Kind);
        Assert.Equal(TestModels.Name, hpa.Metadata.Name);
        Assert.Equal(TestModels.Namespace, hpa.Metadata.NamespaceProperty);
    }

    [Fact]
    public void The_autoscaler_scales_the_model_deployment()
    {
        var target = ModelAutoscalerBuilder.Build(Autoscaled())!.Spec.ScaleTargetRef;

        Assert.Equal(("apps/v1", "Deployment", TestModels.Name), (target.ApiVersion, target.Kind, target.Name));
    }

    [Fact]
    public void The_autoscaler_keeps_between_min_and_max_on_cpu_utilisation()
    {
        var spec = ModelAutoscalerBuilder.Build(Autoscaled())!.Spec;

        Assert.Equal(2, spec.MinReplicas);
        Assert.Equal(6, spec.MaxReplicas);
        var metric = Assert.Single(spec.Metrics);
        Assert.Equal("Resource", metric.Type);
        Assert.Equal("cpu", metric.Resource.Name);
        Assert.Equal("Utilization", metric.Resource.Target.Type);
        Assert.Equal(70, metric.Resource.Target.AverageUtilization);
    }

    [Fact]
    public void Older_clusters_are_served_the_same_schema_as_v2beta2()
    {
        Assert.Equal("autoscaling/v2", ModelAutoscalerBuilder.ApiVersion);
        Assert.Equal("autoscaling/v2beta2", ModelAutoscalerBuilder.LegacyApiVersion);
    }
}
