using k8s.Models;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.Tests.Shared;

public class PodSchedulingTests
{
    [Fact]
    public void Nothing_set_leaves_the_pod_without_selector_or_tolerations()
    {
        var pod = new V1PodSpec();

        PodScheduling.Apply(pod, new Dictionary<string, string>(), []);

        Assert.Null(pod.NodeSelector);
        Assert.Null(pod.Tolerations);
    }

    [Fact]
    public void The_node_selector_is_copied_in_ordinal_key_order()
    {
        var selector = PodScheduling.NodeSelector(new Dictionary<string, string> { ["zone"] = "b", ["Pool"] = "x", ["medops.io/pool"] = "gpu" });

        Assert.Equal(["Pool", "medops.io/pool", "zone"], selector!.Keys);
    }

    [Fact]
    public void Tolerations_are_copies_with_empty_strings_left_out()
    {
        var original = new V1Toleration { Key = "k", OperatorProperty = "Exists", Value = "", Effect = "" };

        var copy = Assert.Single(PodScheduling.Tolerations([original])!);

        Assert.NotSame(original, copy);
        Assert.Equal(("k", "Exists"), (copy.Key, copy.OperatorProperty));
        Assert.Null(copy.Value);
        Assert.Null(copy.Effect);
    }

    [Fact]
    public void Valid_selectors_and_tolerations_have_no_problem()
    {
        var problems = PodSchedulingValidation.Problems(
            new Dictionary<string, string> { ["medops.io/node"] = "real", ["kubernetes.io/hostname"] = "", ["pool"] = "a.b_c-d" },
            [
                new V1Toleration { OperatorProperty = "Exists" },
                new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" },
                new V1Toleration { Key = "dedicated", Value = "radiology", Effect = "NoExecute", TolerationSeconds = 60 },
            ]);

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("-pool", "real", "spec.nodeSelector")]
    [InlineData("Bad_Prefix/pool", "real", "spec.nodeSelector")]
    [InlineData("pool", "not a value", "spec.nodeSelector.pool")]
    [InlineData("pool", "-x", "spec.nodeSelector.pool")]
    public void A_selector_that_is_no_label_is_refused_with_its_field(string key, string value, string field)
    {
        var problem = Assert.Single(PodSchedulingValidation.Problems(new Dictionary<string, string> { [key] = value }, null));

        Assert.Equal(PodSchedulingValidation.InvalidScheduling, problem.Reason);
        Assert.Equal(field, problem.Field);
        Assert.Contains(key, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Equal", null, null, null, "spec.tolerations[1].operator")]
    [InlineData("has space", "Exists", null, null, null, "spec.tolerations[1].key")]
    [InlineData("k", "Exists", "v", null, null, "spec.tolerations[1].value")]
    [InlineData("k", "Equal", "not valid!", null, null, "spec.tolerations[1].value")]
    [InlineData("k", "Exists", null, "NoSchedule", 30L, "spec.tolerations[1].tolerationSeconds")]
    public void A_toleration_the_api_server_would_refuse_is_refused_with_its_field(string? key, string op, string? value, string? effect, long? seconds, string field)
    {
        var problems = PodSchedulingValidation.Problems(null,
        [
            new V1Toleration { Key = "ok", OperatorProperty = "Exists" },
            new V1Toleration { Key = key, OperatorProperty = op, Value = value, Effect = effect, TolerationSeconds = seconds },
        ]);

        Assert.Equal(field, Assert.Single(problems).Field);
    }

    [Fact]
    public void The_path_names_the_object_that_holds_the_fields()
    {
        var problem = Assert.Single(PodSchedulingValidation.Problems(new Dictionary<string, string> { ["-x"] = "" }, null, "spec.model.template"));

        Assert.Equal("spec.model.template.nodeSelector", problem.Field);
        Assert.StartsWith("spec.model.template.nodeSelector key", problem.Message, StringComparison.Ordinal);
    }
}
