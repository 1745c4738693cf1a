using k8s;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Validation;
using MedOps.Controllers.TrainingJobs.Builders;

namespace MedOps.Controllers.Tests.TrainingJobs;

public class ModelRegistrationBuilderTests
{
    private static V1Alpha1TrainingJob Registering() => TestJobs.ChestXray(s => s.Model = new ModelRegistration
    {
        Name = "chest-xray",
        Template = new MedicalModelTemplateSpec
        {
            Modality = Modality.Imaging,
            Version = "1.5.0",
            IntendedUse = "Pneumothorax triage",
            DataClassification = DataClassification.LimitedDataSet,
            Format = ModelFormat.TorchScript,
            Runtime = new ModelRuntime { Image = "pytorch/torchserve:0.11.0-gpu", Port = 8080, ReadinessPath = "/ping" },
            Resources = new ComputeResources { Cpu = "2", Memory = "8Gi", Gpu = new GpuSpec { Count = 1 } },
            Replicas = 2,
        },
    });

    [Fact]
    public void The_model_pins_the_digest_the_job_computed_of_its_output()
    {
        var job = Registering();
        job.Status = new V1Alpha1TrainingJobStatus { Phase = TrainingJobPhase.Succeeded, OutputDigest = "sha256:" + new string('a', 64) };

        var model = ModelRegistrationBuilder.Build(job)!;

        Assert.Equal("sha256:" + new string('a', 64), model.Spec.Source.Digest);
        Assert.Equal(TestJobs.Name, model.Spec.Source.TrainingJobRef!.Name);
        Assert.Null(MedicalModelValidator.Validate(WithUid(model)));
    }

    [Fact]
    public void A_job_without_spec_model_registers_nothing() =>
        Assert.Null(ModelRegistrationBuilder.Build(TestJobs.ChestXray()));

    [Fact]
    public void The_model_is_named_by_the_registration_in_the_jobs_namespace_labelled_with_the_job_and_not_owned()
    {
        var model = ModelRegistrationBuilder.Build(Registering())!;

        Assert.Equal("medops.io/v1alpha1", model.ApiVersion);
        Assert.Equal("MedicalModel", model.Kind);
        Assert.Equal("chest-xray", model.Metadata.Name);
        Assert.Equal(TestJobs.Namespace, model.Metadata.NamespaceProperty);
        Assert.Equal(new Dictionary<string, string> { ["medops.io/trained-by"] = TestJobs.Name }, model.Metadata.Labels);
        Assert.Null(model.Metadata.OwnerReferences);
        Assert.Null(model.Metadata.Annotations);
    }

    [Fact]
    public void The_spec_is_the_template_with_the_source_referencing_the_job()
    {
        var model = ModelRegistrationBuilder.Build(Registering())!;
        var spec = model.Spec;

        Assert.Equal(Modality.Imaging, spec.Modality);
        Assert.Equal("1.5.0", spec.Version);
        Assert.Equal("Pneumothorax triage", spec.IntendedUse);
        Assert.Equal(DataClassification.LimitedDataSet, spec.DataClassification);
        Assert.Equal(ModelFormat.TorchScript, spec.Format);
        Assert.Equal("pytorch/torchserve:0.11.0-gpu", spec.Runtime.Image);
        Assert.Equal("/ping", spec.Runtime.ReadinessPath);
        Assert.Equal("8Gi", spec.Resources.Memory);
        Assert.Equal(1, spec.Resources.Gpu!.Count);
        Assert.Equal(2, spec.Replicas);
        Assert.Equal(TestJobs.Name, spec.Source.TrainingJobRef!.Name);
        // Exactly one of uri and trainingJobRef: the model controller resolves the reference to
        // the job's status.outputUri.
        Assert.Null(spec.Source.Uri);
        Assert.Null(spec.Source.Digest);
    }

    [Fact]
    public void The_registered_model_passes_the_medical_model_validation() =>
        Assert.Null(MedicalModelValidator.Validate(WithUid(ModelRegistrationBuilder.Build(Registering())!)));

    [Fact]
    public void The_template_is_copied_not_shared()
    {
        var job = Registering();
        var model = ModelRegistrationBuilder.Build(job)!;
        model.Spec.Runtime.Image = "changed";

        Assert.Equal("pytorch/torchserve:0.11.0-gpu", job.Spec.Model!.Template.Runtime.Image);
        Assert.DoesNotContain("\"uri\"", KubernetesJson.Serialize(model), StringComparison.Ordinal);
    }

    private static V1Alpha1MedicalModel WithUid(V1Alpha1MedicalModel model)
    {
        model.Metadata.Uid = "u";
        return model;
    }
}
