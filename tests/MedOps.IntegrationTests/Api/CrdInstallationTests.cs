using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Api;

/// <summary>
/// The generated CRDs install on the real Kubernetes 1.20 API server (structural schemas,
/// defaults, int-or-string quantities all accepted) and make kubectl useful: explain, columns,
/// short names and the medops category.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class CrdInstallationTests(LocalCluster cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_crds_install_with_kubectl_apply_and_applying_them_again_changes_nothing()
    {
        await MedOpsCrds.InstallAsync(cluster);

        var again = await MedOpsCrds.InstallAsync(cluster);

        Assert.All(MedOpsCrds.Names, name => Assert.Contains($"{name} unchanged", again.StandardOutput));
        foreach (var name in MedOpsCrds.Names)
        {
            var crd = await cluster.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name);
            Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
            Assert.Contains(crd.Status.Conditions, c => c.Type == "NamesAccepted" && c.Status == "True");
            Assert.DoesNotContain(crd.Status.Conditions, c => c.Type == "NonStructuralSchema");
        }
    }

    [Theory]
    [InlineData("mm.spec.resources.gpu", "GPUs for each pod. Omitted: no GPU.", "nvidia.com/gpu.product", "Extended resource name of the GPU")]
    [InlineData("tj.spec.workers", "Number of workers, one pod each")]
    [InlineData("ws.spec.disk", "Root disk, a DataVolume", "Size of the root disk as a quantity")]
    [InlineData("mm", "MedicalModel serves a trained clinical model for inference")]
    public async Task Kubectl_explain_shows_the_field_descriptions(string field, params string[] expected)
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);

        // The API server publishes CRD schemas to its OpenAPI document a moment after they are
        // established; explain reads that document.
        var output = await Eventually.WaitForAsync(
            async () => Normalize((await cluster.KubectlAsync("explain", field)).StandardOutput),
            text => expected.All(text.Contains),
            Timeout,
            $"kubectl explain {field} to show the descriptions");

        Assert.All(expected, e => Assert.Contains(e, output));
    }

    [Fact]
    public async Task Kubectl_get_shows_the_printer_columns_short_names_and_the_medops_category()
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("api-columns");
        foreach (var manifest in new[]
        {
            Manifests.MinimalMedicalModel("chest-xray", ns.Name),
            Manifests.MinimalTrainingJob("chest-xray-train", ns.Name),
            Manifests.MinimalWorkspace("dr-smith", ns.Name),
            Manifests.MinimalModelApproval("chest-xray-1", ns.Name),
        })
        {
            var create = await MedOpsCrds.KubectlOnManifestAsync(cluster, manifest.ToJsonString(), "apply");
            Assert.True(create.ExitCode == 0, create.Output);
        }

        Assert.Equal(["NAME", "MODALITY", "VERSION", "PHASE", "READY", "AGE"], await HeaderAsync("get", "mm", "-n", ns.Name));
        Assert.Equal(["NAME", "MODALITY", "VERSION", "PHASE", "READY", "APPROVED", "DIGEST", "ENDPOINT", "AGE"], await HeaderAsync("get", "mm", "-n", ns.Name, "-o", "wide"));
        Assert.Equal(["NAME", "MODEL", "VERSION", "DIGEST", "APPROVER", "AGE"], await HeaderAsync("get", "mmapproval", "-n", ns.Name));
        Assert.Equal(["NAME", "WORKERS", "PHASE", "RESTARTS", "MODEL", "AGE"], await HeaderAsync("get", "tj", "-n", ns.Name));
        Assert.Equal(["NAME", "OWNER", "CPU", "MEMORY", "DISK", "RUNNING", "PHASE", "LAST", "ACTIVITY", "AGE"], await HeaderAsync("get", "ws", "-n", ns.Name));

        var workspaceRow = Columns((await cluster.KubectlAsync("get", "ws", "dr-smith", "-n", ns.Name, "--no-headers")).StandardOutput);
        Assert.Equal(["dr-smith", "dr.smith@hospital.example", "2", "1Gi", "20Gi", "true"], workspaceRow[..6]);

        var all = await cluster.KubectlAsync("get", "medops", "-n", ns.Name, "-o", "name");
        Assert.Equal(
            ["medicalmodel.medops.io/chest-xray", "modelapproval.medops.io/chest-xray-1", "trainingjob.medops.io/chest-xray-train", "workspace.medops.io/dr-smith"],
            all.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Status_is_a_subresource_that_accepts_metav1_conditions_and_rejects_unknown_phases()
    {
        await MedOpsCrds.EnsureInstalledAsync(cluster);
        await using var ns = await cluster.CreateNamespaceAsync("api-status");
        var create = await MedOpsCrds.KubectlOnManifestAsync(cluster, Manifests.MinimalMedicalModel("chest-xray", ns.Name).ToJsonString(), "apply");
        Assert.True(create.ExitCode == 0, create.Output);

        var status = """
            {"status": {"observedGeneration": 1, "phase": "Ready", "replicas": 1, "readyReplicas": 1,
              "endpoint": "http://chest-xray.ns.svc:8080",
              "conditions": [{"type": "Ready", "status": "True", "observedGeneration": 1,
                "lastTransitionTime": "2024-05-01T10:00:00.123456Z", "reason": "Serving", "message": "1/1 replicas ready"}]}}
            """;
        var patched = await cluster.KubectlAsync("patch", "mm", "chest-xray", "-n", ns.Name, "--subresource", "status", "--type", "merge", "-p", status);
        Assert.True(patched.ExitCode == 0, patched.Output);
        var read = (JsonElement)await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync("medops.io", "v1alpha1", ns.Name, "medicalmodels", "chest-xray");
        Assert.Equal("Ready", read.GetProperty("status").GetProperty("phase").GetString());

        var bogus = await cluster.KubectlAsync("patch", "mm", "chest-xray", "-n", ns.Name, "--subresource", "status", "--type", "merge", "-p", """{"status": {"phase": "Bogus"}}""");
        Assert.NotEqual(0, bogus.ExitCode);
        Assert.Contains("status.phase: Unsupported value: \"Bogus\"", bogus.Output);

        // A spec-only write through the main resource cannot touch status.
        var specWrite = await cluster.KubectlAsync("patch", "mm", "chest-xray", "-n", ns.Name, "--type", "merge", "-p", """{"spec": {"replicas": 3}, "status": {"phase": "Failed"}}""");
        Assert.True(specWrite.ExitCode == 0, specWrite.Output);
        read = (JsonElement)await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync("medops.io", "v1alpha1", ns.Name, "medicalmodels", "chest-xray");
        Assert.Equal("Ready", read.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal(3, read.GetProperty("spec").GetProperty("replicas").GetInt32());
    }

    private async Task<string[]> HeaderAsync(params string[] arguments)
    {
        var result = await cluster.KubectlAsync(arguments);
        Assert.True(result.ExitCode == 0, result.Output);
        return Columns(result.StandardOutput.Split('\n')[0]);
    }

    private static string[] Columns(string line) => Whitespace().Split(line.Trim());

    private static string Normalize(string text) => Whitespace().Replace(text, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
