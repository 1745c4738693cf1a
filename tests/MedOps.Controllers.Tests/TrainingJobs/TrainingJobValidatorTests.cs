using MedOps.Api.V1Alpha1;
using MedOps.Controllers.TrainingJobs;
using MedOps.Controllers.TrainingJobs.Validation;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class TrainingJobValidatorTests
{
    [Fact]
    public void A_sound_job_has_no_problem() => Assert.Null(TrainingJobValidator.Validate(TestJobs.ChestXray()));

    [Theory]
    [InlineData("cxr.train")]
    [InlineData("1cxr")]
    public void A_name_that_cannot_name_the_service_is_invalid(string name)
    {
        var job = TestJobs.ChestXray();
        job.Metadata.Name = name;

        Assert.Equal(TrainingJobReasons.InvalidName, TrainingJobValidator.Validate(job)?.Reason);
    }

    [Fact]
    public void A_name_too_long_for_the_last_workers_hostname_is_invalid()
    {
        var job = TestJobs.ChestXray(s => s.Workers = 100);
        job.Metadata.Name = new string('a', 54);

        var problem = TrainingJobValidator.Validate(job);

        Assert.Equal(TrainingJobReasons.InvalidName, problem?.Reason);
        Assert.Contains("at most 53 characters", problem!.Message, StringComparison.Ordinal);
        job.Metadata.Name = new string('a', 53);
        Assert.Null(TrainingJobValidator.Validate(job));
    }

    [Theory]
    [InlineData("lots", "1Gi", null)]
    [InlineData("1", "-1Gi", null)]
    [InlineData("1", "1Gi", "forty")]
    public void Unusable_quantities_are_invalid_resources(string cpu, string memory, string? minMemory)
    {
        var job = TestJobs.ChestXray(s => s.Resources = new ComputeResources
        {
            Cpu = cpu,
            Memory = memory,
            Gpu = minMemory is null ? null : new GpuSpec { Count = 1, MinMemory = minMemory },
        });

        Assert.Equal(TrainingJobReasons.InvalidResources, TrainingJobValidator.Validate(job)?.Reason);
    }

    [Fact]
    public void Scheduling_of_the_workers_and_of_the_registered_model_is_checked_with_its_path()
    {
        var job = TestJobs.ChestXray(s =>
        {
            s.Tolerations = [new k8s.Models.V1Toleration { Key = "k", OperatorProperty = "Exists", Value = "v" }];
            s.Model = new ModelRegistration { Name = "cxr", Template = new MedicalModelTemplateSpec { NodeSelector = new Dictionary<string, string> { ["bad key!"] = "x" } } };
        });

        var problems = TrainingJobValidator.Problems(job).ToList();

        Assert.Equal(["spec.tolerations[0].value", "spec.model.template.nodeSelector"], problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.Equal(TrainingJobReasons.InvalidScheduling, p.Reason));
    }
}
