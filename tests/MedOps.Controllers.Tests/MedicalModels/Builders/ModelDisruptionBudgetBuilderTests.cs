using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;

namespace MedOps.Controllers.Tests.MedicalModels.Builders;

public class ModelDisruptionBudgetBuilderTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(5, true)]
    public void Fixed_replicas_get_a_budget_from_two(int replicas, bool expected)
    {
        var budget = ModelDisruptionBudgetBuilder.Build(TestModels.ChestXray(s => s.Replicas = replicas));

        Assert.Equal(expected, budget is not null);
    }

    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(1, 8, false)]
    [InlineData(2, 4, true)]
    [InlineData(3, 3, true)]
    public void Autoscaled_models_get_a_budget_when_min_replicas_is_at_least_two(int min, int max, bool expected)
    {
        // spec.replicas is ignored with autoscaling, in both directions.
        var replicas = expected ? 1 : 5;

        var budget = ModelDisruptionBudgetBuilder.Build(TestModels.ChestXray(s =>
        {
            s.Replicas = replicas;
            s.Autoscaling = new ModelAutoscaling { MinReplicas = min, MaxReplicas = max };
        }));

        Assert.Equal(expected, budget is not null);
    }

    [Fact]
    public void A_suspended_model_has_no_budget()
    {
        Assert.Null(ModelDisruptionBudgetBuilder.Build(TestModels.ChestXray(s =>
        {
            s.Replicas = 3;
            s.Suspend = true;
        })));
    }

    [Fact]
    public void The_budget_allows_one_unavailable_pod_of_the_model()
    {
        var budget = ModelDisruptionBudgetBuilder.Build(TestModels.ChestXray(s => s.Replicas = 3));

        Assert.NotNull(budget);
        Assert.Equal("policy/v1", budget.ApiVersion);
        Assert.Equal("PodDisruptionBudget", budget.Kind);
        Assert.Equal(TestModels.Name, budget.Metadata.Name);
        Assert.Equal(TestModels.Namespace, budget.Metadata.NamespaceProperty);
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.Null(budget.Spec.MinAvailable);
        Assert.Equal(TestModels.SelectorLabels, budget.Spec.Selector.MatchLabels);
    }

    [Fact]
    public void Max_unavailable_goes_over_the_wire_as_the_number_one()
    {
        var json = k8s.KubernetesJson.Serialize(ModelDisruptionBudgetBuilder.Build(TestModels.ChestXray(s => s.Replicas = 3)));

        Assert.Contains("\"maxUnavailable\":1", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_minimum_replica_count_is_min_replicas_with_autoscaling_else_replicas()
    {
        Assert.Equal(2, ModelDisruptionBudgetBuilder.MinimumReplicas(TestModels.ChestXray().Spec));
        Assert.Equal(3, ModelDisruptionBudgetBuilder.MinimumReplicas(TestModels.ChestXray(s => s.Autoscaling = new ModelAutoscaling { MinReplicas = 3, MaxReplicas = 5 }).Spec));
        Assert.Equal("policy/v1beta1", ModelDisruptionBudgetBuilder.LegacyApiVersion);
    }
}
