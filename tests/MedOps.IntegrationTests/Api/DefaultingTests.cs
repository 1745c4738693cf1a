using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Api;

/// <summary>
/// The API server applies the CRD defaults itself (structural schema defaulting), so every
/// reader, not only the operator, sees the same complete spec; and it stores quantities as written.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DefaultingTests(LocalCluster cluster)
{
    [Fact]
    public async Task A_minimal_medical_model_is_stored_with_the_api_defaults()
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("api-defaults-mm");
        var manifest = Manifests.MinimalMedicalModel("chest-xray", ns.Name).With("spec.resources.gpu", """{"count": 1}""");

        var spec = await CreateAndReadSpecAsync(manifest, ns.Name, "medicalmodels", "chest-xray");

        Assert.Equal("Research", spec["usage"]!.GetValue<string>());
        Assert.Equal("PHI", spec["dataClassification"]!.GetValue<string>());
        Assert.Equal("Custom", spec["format"]!.GetValue<string>());
        Assert.Equal(8080, spec["runtime"]!["port"]!.GetValue<int>());
        Assert.Equal("/v2/health/ready", spec["runtime"]!["readinessPath"]!.GetValue<string>());
        Assert.Equal(1, spec["replicas"]!.GetValue<int>());
        Assert.False(spec["suspend"]!.GetValue<bool>());
        Assert.Equal("nvidia.com/gpu", spec["resources"]!["gpu"]!["resourceName"]!.GetValue<string>());
        Assert.Null(spec["autoscaling"]);
    }

    [Fact]
    public async Task Gpu_defaults_apply_only_when_a_gpu_is_asked_for()
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("api-defaults-cpu");

        var spec = await CreateAndReadSpecAsync(Manifests.MinimalMedicalModel("cpu-only", ns.Name), ns.Name, "medicalmodels", "cpu-only");

        Assert.Null(spec["resources"]!["gpu"]);
    }

    [Fact]
    public async Task A_minimal_training_job_is_stored_with_the_api_defaults_including_its_model_template()
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("api-defaults-tj");
        var manifest = Manifests.MinimalTrainingJob("chest-xray-train", ns.Name).With("spec.model", """
            {"name": "chest-xray", "template": {"modality": "Imaging", "version": "1.5.0",
              "runtime": {"image": "registry.example/cxr-server:1"}, "resources": {"cpu": "2", "memory": "8Gi"}}}
            """);

        var spec = await CreateAndReadSpecAsync(manifest, ns.Name, "trainingjobs", "chest-xray-train");

        Assert.Equal(1, spec["workers"]!.GetValue<int>());
        Assert.Equal(3, spec["backoffLimit"]!.GetValue<int>());
        Assert.False(spec["suspend"]!.GetValue<bool>());
        Assert.Equal("PHI", spec["dataClassification"]!.GetValue<string>());
        var template = spec["model"]!["template"]!;
        Assert.Equal("Research", template["usage"]!.GetValue<string>());
        Assert.Equal(8080, template["runtime"]!["port"]!.GetValue<int>());
        Assert.Null(template["source"]);
    }

    [Fact]
    public async Task A_minimal_workspace_is_stored_with_the_api_defaults_including_its_disk()
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("api-defaults-ws");

        var spec = await CreateAndReadSpecAsync(Manifests.MinimalWorkspace("dr-smith", ns.Name), ns.Name, "workspaces", "dr-smith");

        Assert.Equal(2, spec["cpu"]!.GetValue<int>());
        Assert.Equal("1Gi", spec["memory"]!.GetValue<string>());
        Assert.Equal("20Gi", spec["disk"]!["size"]!.GetValue<string>());
        Assert.True(spec["running"]!.GetValue<bool>());
        Assert.Equal("PHI", spec["dataClassification"]!.GetValue<string>());
    }

    [Fact]
    public async Task Quantities_are_stored_exactly_as_written_in_either_form()
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("api-quantities");
        var manifest = Manifests.MinimalMedicalModel("quantities", ns.Name)
            .With("spec.resources.cpu", "4")
            .With("spec.resources.memory", "\"100m\"")
            .With("spec.resources.gpu", """{"count": 1, "minMemory": "40Gi"}""");

        var spec = await CreateAndReadSpecAsync(manifest, ns.Name, "medicalmodels", "quantities");

        Assert.Equal(JsonValueKind.Number, spec["resources"]!["cpu"]!.GetValueKind());
        Assert.Equal(4, spec["resources"]!["cpu"]!.GetValue<int>());
        Assert.Equal("100m", spec["resources"]!["memory"]!.GetValue<string>());
        Assert.Equal("40Gi", spec["resources"]!["gpu"]!["minMemory"]!.GetValue<string>());
    }

    private async Task<JsonNode> CreateAndReadSpecAsync(JsonObject manifest, string @namespace, string plural, string name)
    {
        var create = await MedOpsCrds.KubectlOnManifestAsync(cluster, manifest.ToJsonString(), "apply");
        Assert.True(create.ExitCode == 0, create.Output);
        var stored = (JsonElement)await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync("medops.io", "v1alpha1", @namespace, plural, name);
        return JsonNode.Parse(stored.GetRawText())!["spec"]!;
    }
}
