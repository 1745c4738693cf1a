using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;

namespace MedOps.Controllers.Tests.MedicalModels.Builders;

/// <summary>What api.md asks of every child, checked on every builder's output.</summary>
public class AllChildrenTests
{
    private static IEnumerable<IKubernetesObject<V1ObjectMeta>> Children()
    {
        // A model for which every child exists.
        var model = TestModels.ChestXray(s =>
        {
            s.Source.Uri = "s3://radiology-models/chest-xray/1.4.0";
            s.Autoscaling = new ModelAutoscaling { MinReplicas = 2, MaxReplicas = 4 };
            s.Resources.Gpu = new GpuSpec { Count = 1 };
        });
        yield return ModelDeploymentBuilder.Build(model, TestModels.SourceOf(model), TestModels.Defaults);
        yield return ModelServiceBuilder.Build(model);
        yield return ModelAutoscalerBuilder.Build(model)!;
        yield return ModelDisruptionBudgetBuilder.Build(model)!;
        yield return ModelNetworkPolicyBuilder.Build(model, TestModels.Defaults.PhiEgressCidrs)!;
    }

    public static TheoryData<string> Kinds() => [.. Children().Select(c => c.Kind)];

    private static IKubernetesObject<V1ObjectMeta> Child(string kind) => Children().Single(c => c.Kind == kind);

    [Fact]
    public void A_fully_featured_model_has_five_children()
    {
        Assert.Equal(["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"], Children().Select(c => c.Kind));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_child_has_api_version_kind_name_and_namespace_for_server_side_apply(string kind)
    {
        var child = Child(kind);

        Assert.False(string.IsNullOrEmpty(child.ApiVersion));
        Assert.Equal(TestModels.Name, child.Metadata.Name);
        Assert.Equal(TestModels.Namespace, child.Metadata.NamespaceProperty);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_child_has_exactly_the_api_labels_and_no_copied_labels_or_annotations(string kind)
    {
        var child = Child(kind);

        Assert.Equal(TestModels.ChildLabels, child.Metadata.Labels);
        Assert.Null(child.Metadata.Annotations);
        var json = KubernetesJson.Serialize(child);
        Assert.DoesNotContain("app.kubernetes.io/instance", json, StringComparison.Ordinal);
        Assert.DoesNotContain("argocd.argoproj.io", json, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_child_is_controlled_by_the_model(string kind)
    {
        var owner = Assert.Single(Child(kind).Metadata.OwnerReferences);

        Assert.Equal(("medops.io/v1alpha1", "MedicalModel", TestModels.Name, TestModels.Uid, (bool?)true, (bool?)true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_child_serialises_with_its_api_version_and_kind(string kind)
    {
        var child = Child(kind);

        var json = KubernetesJson.Serialize(child);

        Assert.StartsWith($"{{\"apiVersion\":\"{child.ApiVersion}\",\"kind\":\"{kind}\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_suspended_model_with_one_replica_has_only_a_deployment_and_a_service()
    {
        var model = TestModels.ChestXray(s =>
        {
            s.DataClassification = DataClassification.Public;
            s.Replicas = 1;
            s.Suspend = true;
            s.Autoscaling = new ModelAutoscaling { MinReplicas = 1, MaxReplicas = 3 };
        });

        Assert.Equal(0, ModelDeploymentBuilder.Build(model, TestModels.SourceOf(model), TestModels.Defaults).Spec.Replicas);
        Assert.NotNull(ModelServiceBuilder.Build(model));
        Assert.Null(ModelAutoscalerBuilder.Build(model));
        Assert.Null(ModelDisruptionBudgetBuilder.Build(model));
        Assert.Null(ModelNetworkPolicyBuilder.Build(model, TestModels.Defaults.PhiEgressCidrs));
    }
}
