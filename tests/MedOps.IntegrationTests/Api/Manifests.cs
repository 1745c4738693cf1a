using System.Text.Json.Nodes;

namespace MedOps.IntegrationTests.Api;

/// <summary>
/// The smallest valid object of each kind (only required fields), as JSON that tests can change
/// one field at a time.
/// </summary>
internal static class Manifests
{
    public static JsonObject MinimalMedicalModel(string name, string @namespace) => Object("MedicalModel", name, @namespace, """
        {
          "modality": "Imaging",
          "version": "1.4.0",
          "source": {"uri": "pvc://models/chest-xray/1.4.0"},
          "runtime": {"image": "nvcr.io/nvidia/tritonserver:24.08-py3"},
          "resources": {"cpu": "4", "memory": "16Gi"}
        }
        """);

    public static JsonObject MinimalTrainingJob(string name, string @namespace) => Object("TrainingJob", name, @namespace, """
        {
          "image": "pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime",
          "resources": {"cpu": "8", "memory": "32Gi"},
          "dataset": {"claimName": "cxr-2024"},
          "output": {"claimName": "models", "path": "chest-xray/1.5.0"}
        }
        """);

    public static JsonObject MinimalWorkspace(string name, string @namespace) => Object("Workspace", name, @namespace, """
        {
          "owner": "dr.smith@hospital.example",
          "image": {"containerDisk": "quay.io/containerdisks/ubuntu:22.04"}
        }
        """);

    /// <summary>A ModelApproval with only its required fields (admitted without the webhook, as in the CRD tests).</summary>
    public static JsonObject MinimalModelApproval(string name, string @namespace) => Object("ModelApproval", name, @namespace, """
        {
          "modelName": "chest-xray",
          "version": "1.0.0",
          "digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000"
        }
        """);

    /// <summary>The minimal object of <paramref name="kind"/>.</summary>
    public static JsonObject Minimal(string kind, string name, string @namespace) => kind switch
    {
        "MedicalModel" => MinimalMedicalModel(name, @namespace),
        "TrainingJob" => MinimalTrainingJob(name, @namespace),
        "Workspace" => MinimalWorkspace(name, @namespace),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Sets the field at a dotted path (creating objects on the way) to <paramref name="json"/>,
    /// or removes it when <paramref name="json"/> is null.
    /// </summary>
    public static JsonObject With(this JsonObject manifest, string path, string? json)
    {
        var names = path.Split('.');
        var parent = manifest;
        foreach (var name in names[..^1])
        {
            parent = parent[name] as JsonObject ?? (JsonObject)(parent[name] = new JsonObject());
        }
        if (json is null)
        {
            parent.Remove(names[^1]);
        }
        else
        {
            parent[names[^1]] = JsonNode.Parse(json);
        }
        return manifest;
    }

    private static JsonObject Object(string kind, string name, string @namespace, string spec) => new()
    {
        ["apiVersion"] = "medops.io/v1alpha1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
        ["spec"] = JsonNode.Parse(spec),
    };
}
