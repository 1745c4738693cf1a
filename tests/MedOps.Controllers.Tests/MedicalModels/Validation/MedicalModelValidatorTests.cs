using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels;
using MedOps.Controllers.MedicalModels.Validation;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.Tests.MedicalModels.Validation;

public class MedicalModelValidatorTests
{
    private static Problem? Validate(Action<V1Alpha1MedicalModel> change)
    {
        var model = TestModels.ChestXray();
        change(model);
        return MedicalModelValidator.Validate(model);
    }

    private static Problem? ValidateSpec(Action<V1Alpha1MedicalModelSpec> change) => Validate(m => change(m.Spec));

    [Fact]
    public void A_model_as_api_md_shows_it_is_valid()
    {
        Assert.Null(ValidateSpec(s =>
        {
            s.Source.Digest = TestModels.Digest;
            s.Resources.Gpu = new GpuSpec { Count = 1, Products = ["NVIDIA-A100-SXM4-80GB"], MinMemory = "40Gi" };
            s.Autoscaling = new ModelAutoscaling { MinReplicas = 1, MaxReplicas = 4, TargetCPUUtilizationPercentage = 70 };
        }));
    }

    public static TheoryData<string, string, string> InvalidSpecs() => new()
    {
        // description, reason, text the message must contain
        { "both uri and trainingJobRef", "InvalidSource", "spec.source: set exactly one of spec.source.uri and spec.source.trainingJobRef; both are set" },
        { "neither uri nor trainingJobRef", "InvalidSource", "spec.source: set exactly one of spec.source.uri and spec.source.trainingJobRef; neither is set" },
        { "empty uri and no trainingJobRef", "InvalidSource", "neither is set" },
        { "unsupported scheme", "InvalidModelUri", "spec.source.uri: \"ftp://models/chest-xray\" has an unsupported scheme" },
        { "pvc claim with capitals", "InvalidModelUri", "spec.source.uri: \"pvc://Models/chest-xray\" names the claim \"Models\"" },
        { "pvc path leaving the claim", "InvalidModelUri", "'..'" },
        { "s3 without bucket", "InvalidModelUri", "names no bucket" },
        { "min above max", "InvalidAutoscaling", "spec.autoscaling.minReplicas (5) is greater than spec.autoscaling.maxReplicas (4): lower minReplicas or raise maxReplicas" },
        { "cpu not a quantity", "InvalidResources", "spec.resources.cpu \"four\" is not a Kubernetes quantity" },
        { "cpu negative", "InvalidResources", "spec.resources.cpu \"-1\" is negative" },
        { "memory not a quantity", "InvalidResources", "spec.resources.memory \"16GB\" is not a Kubernetes quantity" },
        { "memory empty", "InvalidResources", "spec.resources.memory \"\" is not a Kubernetes quantity" },
        { "minMemory not a quantity", "InvalidResources", "spec.resources.gpu.minMemory \"40 GiB\" is not a Kubernetes quantity" },
        { "minMemory negative", "InvalidResources", "spec.resources.gpu.minMemory \"-40Gi\" is negative" },
        { "name with a dot", "InvalidName", "metadata.name \"chest.xray\" cannot name the model's Service" },
        { "name starting with a digit", "InvalidName", "starting with a letter" },
        { "name too long", "InvalidName", "at most 63" },
    };

    private static void Break(V1Alpha1MedicalModel model, string description)
    {
        var s = model.Spec;
        switch (description)
        {
            case "both uri and trainingJobRef": s.Source.TrainingJobRef = new TrainingJobReference { Name = "chest-xray-train" }; break;
            case "neither uri nor trainingJobRef": s.Source.Uri = null; break;
            case "empty uri and no trainingJobRef": s.Source.Uri = ""; break;
            case "unsupported scheme": s.Source.Uri = "ftp://models/chest-xray"; break;
            case "pvc claim with capitals": s.Source.Uri = "pvc://Models/chest-xray"; break;
            case "pvc path leaving the claim": s.Source.Uri = "pvc://models/../etc"; break;
            case "s3 without bucket": s.Source.Uri = "s3:///chest-xray"; break;
            case "min above max": s.Autoscaling = new ModelAutoscaling { MinReplicas = 5, MaxReplicas = 4 }; break;
            case "cpu not a quantity": s.Resources.Cpu = "four"; break;
            case "cpu negative": s.Resources.Cpu = "-1"; break;
            case "memory not a quantity": s.Resources.Memory = "16GB"; break;
            case "memory empty": s.Resources.Memory = ""; break;
            case "minMemory not a quantity": s.Resources.Gpu = new GpuSpec { Count = 1, MinMemory = "40 GiB" }; break;
            case "minMemory negative": s.Resources.Gpu = new GpuSpec { Count = 1, MinMemory = "-40Gi" }; break;
            case "name with a dot": model.Metadata.Name = "chest.xray"; break;
            case "name starting with a digit": model.Metadata.Name = "1chest-xray"; break;
            case "name too long": model.Metadata.Name = new string('a', 64); break;
            default: throw new ArgumentException(description);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void An_invalid_spec_gives_a_specific_reason_and_a_message_that_says_what_to_fix(string description, string reason, string message)
    {
        var problem = Validate(m => Break(m, description));

        Assert.NotNull(problem);
        Assert.Equal(reason, problem.Reason);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasons_are_camel_case_constants()
    {
        Assert.Equal(
            ["InvalidName", "InvalidSource", "InvalidModelUri", "InvalidAutoscaling", "InvalidResources"],
            [MedicalModelReasons.InvalidName, MedicalModelReasons.InvalidSource, MedicalModelReasons.InvalidModelUri,
             MedicalModelReasons.InvalidAutoscaling, MedicalModelReasons.InvalidResources]);
    }

    [Fact]
    public void A_training_job_reference_alone_is_valid()
    {
        Assert.Null(ValidateSpec(s => s.Source = new ModelSource { TrainingJobRef = new TrainingJobReference { Name = "chest-xray-train" }, Digest = TestModels.Digest }));
    }

    [Theory]
    [InlineData("pvc://models")]
    [InlineData("s3://radiology-models/chest-xray/1.4.0")]
    [InlineData("gs://radiology-models/chest-xray/1.4.0")]
    [InlineData("https://models.hospital.example/chest-xray-1.4.0.tar.gz")]
    public void Every_supported_scheme_is_valid(string uri)
    {
        Assert.Null(ValidateSpec(s => s.Source.Uri = uri));
    }

    [Fact]
    public void Min_replicas_equal_to_max_replicas_is_valid()
    {
        Assert.Null(ValidateSpec(s => s.Autoscaling = new ModelAutoscaling { MinReplicas = 3, MaxReplicas = 3 }));
    }

    [Theory]
    [InlineData("500m", "512Mi")]
    [InlineData("0.5", "1e9")]
    [InlineData("100", "1Ti")]
    public void Any_kubernetes_quantity_is_valid_for_cpu_and_memory(string cpu, string memory)
    {
        Assert.Null(ValidateSpec(s => s.Resources = new ComputeResources { Cpu = cpu, Memory = memory }));
    }

    [Fact]
    public void A_gpu_count_of_zero_with_products_and_min_memory_is_valid()
    {
        Assert.Null(ValidateSpec(s => s.Resources.Gpu = new GpuSpec { Count = 0, Products = ["NVIDIA-A100-SXM4-80GB"], MinMemory = "40Gi" }));
    }

    [Fact]
    public void A_clinical_model_on_public_data_is_not_the_validator_business()
    {
        Assert.Null(ValidateSpec(s =>
        {
            s.Usage = ModelUsage.Clinical;
            s.DataClassification = DataClassification.Public;
        }));
    }

    [Fact]
    public void A_suspended_model_is_validated_like_any_other()
    {
        Assert.Equal("InvalidAutoscaling", ValidateSpec(s =>
        {
            s.Suspend = true;
            s.Autoscaling = new ModelAutoscaling { MinReplicas = 5, MaxReplicas = 1 };
        })?.Reason);
    }

    [Fact]
    public void The_source_is_reported_before_the_resources()
    {
        var problem = ValidateSpec(s =>
        {
            s.Source.Uri = null;
            s.Resources.Cpu = "four";
        });

        Assert.Equal("InvalidSource", problem?.Reason);
    }

    [Fact]
    public void Validation_is_pure_and_repeatable()
    {
        var model = TestModels.ChestXray(s => s.Source.Uri = "ftp://x");

        Assert.Equal(MedicalModelValidator.Validate(model), MedicalModelValidator.Validate(model));
    }

    [Fact]
    public void A_node_selector_value_that_is_no_label_value_is_a_scheduling_problem()
    {
        var problem = Validate(m => m.Spec.NodeSelector = new Dictionary<string, string> { ["medops.io/pool"] = "gpu pool" });

        Assert.Equal((MedicalModelReasons.InvalidScheduling, "spec.nodeSelector.medops.io/pool"), (problem?.Reason, problem?.Field));
    }
}
