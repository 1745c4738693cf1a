using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.Tests.Shared;

public class GpuPlacementTests
{
    private static (V1PodSpec Pod, V1Container Container) Place(GpuSpec? gpu)
    {
        var container = new V1Container { Name = "server", Resources = ComputeResourcesBuilder.Build(new ComputeResources { Cpu = "4", Memory = "16Gi" }) };
        var pod = new V1PodSpec { Containers = [container] };
        GpuPlacement.Apply(gpu, pod, container);
        return (pod, container);
    }

    private static IList<V1NodeSelectorRequirement> RequiredExpressions(V1PodSpec pod) =>
        Assert.Single(pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms).MatchExpressions;

    [Fact]
    public void Without_a_gpu_spec_nothing_changes()
    {
        var (pod, container) = Place(null);

        Assert.Equal(["cpu", "memory"], container.Resources.Limits.Keys.Order());
        Assert.Null(pod.Tolerations);
        Assert.Null(pod.Affinity);
    }

    [Fact]
    public void A_count_of_zero_places_nothing_even_with_products_and_min_memory()
    {
        var (pod, container) = Place(new GpuSpec { Count = 0, Products = ["NVIDIA-A100-SXM4-80GB"], MinMemory = "40Gi" });

        Assert.Equal(["cpu", "memory"], container.Resources.Limits.Keys.Order());
        Assert.Equal(["cpu", "memory"], container.Resources.Requests.Keys.Order());
        Assert.Null(pod.Tolerations);
        Assert.Null(pod.Affinity);
    }

    [Fact]
    public void A_count_only_gives_the_limit_the_request_and_the_toleration_but_no_affinity()
    {
        var (pod, container) = Place(new GpuSpec { Count = 2 });

        Assert.Equal("2", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("2", container.Resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("4", container.Resources.Limits["cpu"].ToString());
        var toleration = Assert.Single(pod.Tolerations);
        Assert.Equal("nvidia.com/gpu", toleration.Key);
        Assert.Equal("Exists", toleration.OperatorProperty);
        Assert.Equal("NoSchedule", toleration.Effect);
        Assert.Null(toleration.Value);
        Assert.Null(pod.Affinity);
    }

    [Fact]
    public void A_custom_resource_name_is_used_for_the_limit_and_the_toleration()
    {
        var (pod, container) = Place(new GpuSpec { Count = 1, ResourceName = "nvidia.com/mig-1g.10gb" });

        Assert.Equal("1", container.Resources.Limits["nvidia.com/mig-1g.10gb"].ToString());
        Assert.Equal("1", container.Resources.Requests["nvidia.com/mig-1g.10gb"].ToString());
        Assert.DoesNotContain("nvidia.com/gpu", container.Resources.Limits.Keys);
        Assert.Equal("nvidia.com/mig-1g.10gb", Assert.Single(pod.Tolerations).Key);
    }

    [Fact]
    public void An_empty_resource_name_falls_back_to_the_nvidia_default()
    {
        var (_, container) = Place(new GpuSpec { Count = 1, ResourceName = "" });

        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
    }

    [Fact]
    public void Products_require_nodes_with_one_of_those_product_labels()
    {
        var (pod, _) = Place(new GpuSpec { Count = 1, Products = ["NVIDIA-A100-SXM4-80GB", "NVIDIA-H100-80GB-HBM3"] });

        var expression = Assert.Single(RequiredExpressions(pod));
        Assert.Equal("nvidia.com/gpu.product", expression.Key);
        Assert.Equal("In", expression.OperatorProperty);
        Assert.Equal(["NVIDIA-A100-SXM4-80GB", "NVIDIA-H100-80GB-HBM3"], expression.Values);
        Assert.Null(pod.Affinity.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution);
    }

    [Fact]
    public void Empty_products_place_no_product_affinity()
    {
        var (pod, _) = Place(new GpuSpec { Count = 1, Products = [] });

        Assert.Null(pod.Affinity);
    }

    [Theory]
    [InlineData("40Gi", "40959")]
    [InlineData("81920Mi", "81919")]
    [InlineData("80G", "76293")]
    [InlineData("1.5Gi", "1535")]
    [InlineData("24000Mi", "23999")]
    public void Min_memory_requires_more_than_its_mib_minus_one(string minMemory, string greaterThan)
    {
        var (pod, _) = Place(new GpuSpec { Count = 1, MinMemory = minMemory });

        var expression = Assert.Single(RequiredExpressions(pod));
        Assert.Equal("nvidia.com/gpu.memory", expression.Key);
        Assert.Equal("Gt", expression.OperatorProperty);
        Assert.Equal([greaterThan], expression.Values);
    }

    [Theory]
    [InlineData("40Gi", 40960)]
    [InlineData("81920Mi", 81920)]
    [InlineData("80G", 76294)]
    [InlineData("1", 1)]
    [InlineData("1048577", 2)]
    [InlineData("0", 0)]
    public void Min_memory_is_rounded_up_to_whole_mib(string minMemory, long mib)
    {
        // 80G is 76,293.95 MiB: a GPU of 76,293 MiB has less than asked, so round up.
        Assert.True(GpuPlacement.TryGetMinMemoryMiB(minMemory, out var actual, out var error), error);
        Assert.Equal(mib, actual);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-1Gi")]
    [InlineData("1e28")]
    public void Min_memory_that_is_no_usable_quantity_is_refused(string minMemory)
    {
        Assert.False(GpuPlacement.TryGetMinMemoryMiB(minMemory, out _, out var error));
        Assert.Contains(minMemory, error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Place(new GpuSpec { Count = 1, MinMemory = minMemory }));
    }

    [Fact]
    public void Products_and_min_memory_are_anded_in_one_node_selector_term()
    {
        var (pod, _) = Place(new GpuSpec { Count = 1, Products = ["NVIDIA-A100-SXM4-80GB"], MinMemory = "40Gi" });

        var expressions = RequiredExpressions(pod);
        Assert.Equal(2, expressions.Count);
        Assert.Equal(("nvidia.com/gpu.product", "In"), (expressions[0].Key, expressions[0].OperatorProperty));
        Assert.Equal(("nvidia.com/gpu.memory", "Gt"), (expressions[1].Key, expressions[1].OperatorProperty));
        Assert.Equal(["40959"], expressions[1].Values);
    }

    [Fact]
    public void Existing_node_selector_terms_each_get_the_gpu_requirements()
    {
        var container = new V1Container { Name = "worker" };
        var pod = new V1PodSpec
        {
            Containers = [container],
            Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "ml", Effect = "NoSchedule" }],
            Affinity = new V1Affinity
            {
                NodeAffinity = new V1NodeAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                    {
                        NodeSelectorTerms =
                        [
                            new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = ["a"] }] },
                            new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = ["b"] }] },
                        ],
                    },
                },
            },
        };

        GpuPlacement.Apply(new GpuSpec { Count = 1, MinMemory = "40Gi" }, pod, container);

        var terms = pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms;
        Assert.All(terms, term => Assert.Equal(["zone", "nvidia.com/gpu.memory"], term.MatchExpressions.Select(e => e.Key)));
        Assert.Equal(["dedicated", "nvidia.com/gpu"], pod.Tolerations.Select(t => t.Key));
        Assert.Equal("1", container.Resources.Requests["nvidia.com/gpu"].ToString());
    }

    [Fact]
    public void Applying_twice_adds_the_toleration_once()
    {
        var container = new V1Container { Name = "server" };
        var pod = new V1PodSpec { Containers = [container] };
        var gpu = new GpuSpec { Count = 1 };

        GpuPlacement.Apply(gpu, pod, container);
        GpuPlacement.Apply(gpu, pod, container);

        Assert.Single(pod.Tolerations);
    }
}
