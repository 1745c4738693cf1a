using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;

namespace MedOps.Controllers.Tests;

/// <summary>MedicalModels as a platform engineer writes them, stored (with a UID) by the API server.</summary>
internal static class TestModels
{
    public const string Name = "chest-xray";
    public const string Namespace = "radiology";
    public const string Uid = "6b1f3f8e-2a53-4c1e-9d8a-0f3f0c2b9e11";
    public const string InitializerImage = "localhost/medops/model-initializer:0.1.0";
    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static ModelServingDefaults Defaults { get; } = new(InitializerImage, ["10.20.0.0/16"]);

    /// <summary>A served chest X-ray model: Triton on port 8000, 2 replicas, a claim source, no GPU.</summary>
    public static V1Alpha1MedicalModel ChestXray(Action<V1Alpha1MedicalModelSpec>? change = null)
    {
        var model = new V1Alpha1MedicalModel
        {
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                NamespaceProperty = Namespace,
                Uid = Uid,
                Generation = 3,
                // What GitOps tools and people put on the CR: never to be copied onto children.
                Labels = new Dictionary<string, string>
                {
                    ["app.kubernetes.io/instance"] = "radiology-models",
                    ["team"] = "radiology",
                },
                Annotations = new Dictionary<string, string>
                {
                    ["argocd.argoproj.io/tracking-id"] = "radiology-models:medops.io/MedicalModel:radiology/chest-xray",
                    ["owner"] = "dr.smith@hospital.example",
                },
            },
            Spec = new V1Alpha1MedicalModelSpec
            {
                Modality = Modality.Imaging,
                Version = "1.4.0",
                IntendedUse = "Pneumothorax triage on chest radiographs",
                DataClassification = DataClassification.PHI,
                Format = ModelFormat.ONNX,
                Source = new ModelSource { Uri = "pvc://models/chest-xray/1.4.0" },
                Runtime = new ModelRuntime
                {
                    Image = "nvcr.io/nvidia/tritonserver:24.08-py3",
                    Port = 8000,
                    ReadinessPath = "/v2/health/ready",
                },
                Resources = new ComputeResources { Cpu = "4", Memory = "16Gi" },
                Replicas = 2,
            },
        };
        change?.Invoke(model.Spec);
        return model;
    }

    /// <summary>The resolved source of <paramref name="model"/>'s <c>spec.source.uri</c>.</summary>
    public static ResolvedModelSource SourceOf(V1Alpha1MedicalModel model)
    {
        Assert.True(ResolvedModelSource.TryCreate(model.Spec.Source.Uri, model.Spec.Source.Digest, out var source, out var error), error);
        return source;
    }

    /// <summary>The labels api.md puts on every MedicalModel child.</summary>
    public static Dictionary<string, string> ChildLabels { get; } = new()
    {
        ["app.kubernetes.io/managed-by"] = "medops-operator",
        ["app.kubernetes.io/part-of"] = "medops",
        ["app.kubernetes.io/component"] = "inference",
        ["medops.io/medicalmodel"] = Name,
    };

    /// <summary>The selector label of the model's pods.</summary>
    public static Dictionary<string, string> SelectorLabels { get; } = new() { ["medops.io/medicalmodel"] = Name };
}
