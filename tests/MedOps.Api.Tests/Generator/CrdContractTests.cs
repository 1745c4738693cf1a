using System.Text.Json.Nodes;
using MedOps.Api.Tests.TestSupport;

namespace MedOps.Api.Tests.Generator;

/// <summary>The generated CRDs say what api.md fixes: names, defaults, enums, required fields, bounds, columns.</summary>
public sealed class CrdContractTests
{
    private static readonly string[] DataClassifications = ["PHI", "LimitedDataSet", "DeIdentified", "Public"];

    [Theory]
    [InlineData("medicalmodels", "MedicalModel", "medicalmodel", "mm")]
    [InlineData("trainingjobs", "TrainingJob", "trainingjob", "tj")]
    [InlineData("workspaces", "Workspace", "workspace", "ws")]
    public void Each_kind_is_a_namespaced_medops_resource_with_its_short_name_and_category(string plural, string kind, string singular, string shortName)
    {
        var crd = CrdSchema.Crd(plural);
        var spec = crd["spec"]!;

        Assert.Equal("apiextensions.k8s.io/v1", crd["apiVersion"]!.GetValue<string>());
        Assert.Equal($"{plural}.medops.io", crd["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("medops.io", spec["group"]!.GetValue<string>());
        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
        Assert.Equal(kind, spec["names"]!["kind"]!.GetValue<string>());
        Assert.Equal(kind + "List", spec["names"]!["listKind"]!.GetValue<string>());
        Assert.Equal(singular, spec["names"]!["singular"]!.GetValue<string>());
        Assert.Equal([shortName], Strings(spec["names"]!["shortNames"]));
        Assert.Equal(["medops"], Strings(spec["names"]!["categories"]));

        var version = CrdSchema.Version(plural);
        Assert.Equal("v1alpha1", version["name"]!.GetValue<string>());
        Assert.True(version["served"]!.GetValue<bool>());
        Assert.True(version["storage"]!.GetValue<bool>());
        Assert.NotNull(version["subresources"]!["status"]);
    }

    [Fact]
    public void ModelApproval_is_a_namespaced_medops_resource_without_status_whose_spec_fields_are_required()
    {
        var crd = CrdSchema.Crd("modelapprovals");
        var spec = crd["spec"]!;
        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
        Assert.Equal("ModelApproval", spec["names"]!["kind"]!.GetValue<string>());
        Assert.Equal(["mmapproval"], Strings(spec["names"]!["shortNames"]));
        Assert.Equal(["medops"], Strings(spec["names"]!["categories"]));
        // Immutable and written once: nothing for the operator to report on the approval itself.
        Assert.Null(CrdSchema.Version("modelapprovals")["subresources"]);
        var schema = CrdSchema.Version("modelapprovals")["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!;
        Assert.Equal(["digest", "modelName", "version"], Strings(schema["required"]).Order(StringComparer.Ordinal));
        Assert.Equal("^sha256:[a-f0-9]{64}$", schema["properties"]!["digest"]!["pattern"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("medicalmodels", "Modality=.spec.modality, Version=.spec.version, Phase=.status.phase, Ready=.status.readyReplicas, Approved=.status.approval.approved.version (wide), Digest=.status.modelDigest (wide), Endpoint=.status.endpoint (wide), Age=.metadata.creationTimestamp")]
    [InlineData("modelapprovals", "Model=.spec.modelName, Version=.spec.version, Digest=.spec.digest, Approver=.spec.approver, Age=.metadata.creationTimestamp")]
    [InlineData("trainingjobs", "Workers=.spec.workers, Phase=.status.phase, Restarts=.status.restarts, Model=.status.model, Age=.metadata.creationTimestamp")]
    [InlineData("workspaces", "Owner=.spec.owner, CPU=.spec.cpu, Memory=.spec.memory, Disk=.spec.disk.size, Running=.spec.running, Phase=.status.phase, Last activity=.status.lastActivityTime, Age=.metadata.creationTimestamp")]
    public void Printer_columns_are_the_ones_api_md_lists_in_its_order(string plural, string expected)
    {
        var columns = CrdSchema.Version(plural)["additionalPrinterColumns"]!.AsArray().Select(c =>
            $"{c!["name"]}={c["jsonPath"]}{(c["priority"]?.GetValue<long>() == 1 ? " (wide)" : "")}");

        Assert.Equal(expected, string.Join(", ", columns));
    }

    [Theory]
    [InlineData("medicalmodels", "spec.usage", "Research")]
    [InlineData("medicalmodels", "spec.dataClassification", "PHI")]
    [InlineData("medicalmodels", "spec.format", "Custom")]
    [InlineData("medicalmodels", "spec.runtime.port", 8080)]
    [InlineData("medicalmodels", "spec.runtime.readinessPath", "/v2/health/ready")]
    [InlineData("medicalmodels", "spec.replicas", 1)]
    [InlineData("medicalmodels", "spec.suspend", false)]
    [InlineData("medicalmodels", "spec.resources.gpu.count", 0)]
    [InlineData("medicalmodels", "spec.resources.gpu.resourceName", "nvidia.com/gpu")]
    [InlineData("trainingjobs", "spec.workers", 1)]
    [InlineData("trainingjobs", "spec.backoffLimit", 3)]
    [InlineData("trainingjobs", "spec.suspend", false)]
    [InlineData("trainingjobs", "spec.dataClassification", "PHI")]
    [InlineData("trainingjobs", "spec.model.template.usage", "Research")]
    [InlineData("trainingjobs", "spec.model.template.runtime.port", 8080)]
    [InlineData("workspaces", "spec.cpu", 2)]
    [InlineData("workspaces", "spec.memory", "1Gi")]
    [InlineData("workspaces", "spec.disk.size", "20Gi")]
    [InlineData("workspaces", "spec.running", true)]
    [InlineData("workspaces", "spec.dataClassification", "PHI")]
    public void Defaults_are_the_ones_api_md_gives(string plural, string path, object expected)
    {
        var actual = CrdSchema.At(plural, path)["default"];

        Assert.True(JsonNode.DeepEquals(JsonValue.Create(expected), actual), $"{plural} {path}: default {actual?.ToJsonString() ?? "none"}, expected {expected}");
    }

    [Fact]
    public void An_omitted_workspace_disk_is_defaulted_so_its_size_default_applies()
    {
        Assert.True(JsonNode.DeepEquals(new JsonObject(), CrdSchema.At("workspaces", "spec.disk")["default"]));
    }

    [Theory]
    [InlineData("medicalmodels", "spec.modality", "Imaging,Text,Tabular,Signal,Genomics,Multimodal")]
    [InlineData("medicalmodels", "spec.usage", "Research,Clinical")]
    [InlineData("medicalmodels", "spec.format", "ONNX,TorchScript,TensorFlow,Triton,Custom")]
    [InlineData("medicalmodels", "status.phase", "Pending,Deploying,Ready,Degraded,Suspended,AwaitingApproval,Failed")]
    [InlineData("medicalmodels", "status.approval.state", "Approved,AwaitingApproval,Revoked")]
    [InlineData("trainingjobs", "status.phase", "Pending,Running,Restarting,Succeeded,Failed,Suspended")]
    [InlineData("workspaces", "status.phase", "Provisioning,Starting,Running,Stopping,Stopped,Failed")]
    [InlineData("medicalmodels", "status.conditions", "")]
    public void Enumerations_hold_exactly_the_values_of_api_md(string plural, string path, string expected)
    {
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), CrdSchema.Enum(plural, path));
    }

    [Theory]
    [InlineData("medicalmodels", "spec.dataClassification")]
    [InlineData("trainingjobs", "spec.dataClassification")]
    [InlineData("trainingjobs", "spec.model.template.dataClassification")]
    [InlineData("workspaces", "spec.dataClassification")]
    public void Every_kind_classifies_its_data_the_same_way(string plural, string path)
    {
        Assert.Equal(DataClassifications, CrdSchema.Enum(plural, path));
    }

    [Theory]
    [InlineData("medicalmodels", "", "spec")]
    [InlineData("medicalmodels", "spec", "modality,resources,runtime,source,version")]
    [InlineData("medicalmodels", "spec.runtime", "image")]
    [InlineData("medicalmodels", "spec.resources", "cpu,memory")]
    [InlineData("medicalmodels", "spec.source.trainingJobRef", "name")]
    [InlineData("medicalmodels", "spec.autoscaling", "maxReplicas")]
    [InlineData("medicalmodels", "spec.resources.gpu", "")]
    [InlineData("trainingjobs", "spec", "dataset,image,output,resources")]
    [InlineData("trainingjobs", "spec.dataset", "claimName")]
    [InlineData("trainingjobs", "spec.output", "claimName")]
    [InlineData("trainingjobs", "spec.model", "name,template")]
    [InlineData("trainingjobs", "spec.model.template", "modality,resources,runtime,version")]
    [InlineData("workspaces", "spec", "image,owner")]
    [InlineData("workspaces", "spec.gpu", "deviceName")]
    [InlineData("workspaces", "spec.image.pvc", "name,namespace")]
    public void Required_fields_are_the_ones_a_platform_engineer_must_write(string plural, string path, string expected)
    {
        var required = path.Length == 0
            ? Strings(CrdSchema.Root(plural)["required"])
            : CrdSchema.Required(plural, path);

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), required);
    }

    [Fact]
    public void The_model_template_of_a_training_job_has_no_source()
    {
        Assert.Null(CrdSchema.At("trainingjobs", "spec.model.template")["properties"]!["source"]);
    }

    [Theory]
    [InlineData("trainingjobs", "spec.workers", 1L, 128L)]
    [InlineData("workspaces", "spec.cpu", 1L, 64L)]
    [InlineData("medicalmodels", "spec.runtime.port", 1L, 65535L)]
    [InlineData("medicalmodels", "spec.resources.gpu.count", 0L, null)]
    [InlineData("trainingjobs", "spec.resources.gpu.count", 0L, null)]
    [InlineData("medicalmodels", "spec.replicas", 1L, null)]
    [InlineData("trainingjobs", "spec.backoffLimit", 0L, null)]
    [InlineData("medicalmodels", "spec.autoscaling.minReplicas", 1L, null)]
    [InlineData("medicalmodels", "spec.autoscaling.targetCPUUtilizationPercentage", 1L, 100L)]
    [InlineData("workspaces", "spec.gpu.count", 0L, null)]
    public void Numbers_are_bounded(string plural, string path, long minimum, long? maximum)
    {
        var schema = CrdSchema.At(plural, path);

        Assert.Equal("integer", schema["type"]!.GetValue<string>());
        Assert.Equal(minimum, schema["minimum"]!.GetValue<long>());
        Assert.Equal(maximum, schema["maximum"]?.GetValue<long>());
    }

    [Theory]
    [InlineData("medicalmodels", "spec.resources.cpu")]
    [InlineData("medicalmodels", "spec.resources.memory")]
    [InlineData("medicalmodels", "spec.resources.gpu.minMemory")]
    [InlineData("trainingjobs", "spec.resources.cpu")]
    [InlineData("workspaces", "spec.memory")]
    [InlineData("workspaces", "spec.disk.size")]
    public void Quantities_accept_numbers_and_strings_in_kubernetes_quantity_syntax(string plural, string path)
    {
        var schema = CrdSchema.At(plural, path);

        Assert.True(schema["x-kubernetes-int-or-string"]!.GetValue<bool>());
        Assert.Equal(["integer", "string"], schema["anyOf"]!.AsArray().Select(s => s!["type"]!.GetValue<string>()));
        var pattern = new System.Text.RegularExpressions.Regex(schema["pattern"]!.GetValue<string>());
        Assert.All(["4", "500m", "16Gi", "0.5", "1e3", "+1k"], q => Assert.Matches(pattern, q));
        Assert.All(["lots", "16 Gi", "1GB", "", "m"], q => Assert.DoesNotMatch(pattern, q));
    }

    [Theory]
    [InlineData("medicalmodels", "spec.source.digest", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "sha256:ABC")]
    [InlineData("medicalmodels", "spec.source.uri", "pvc://models/chest-xray/1.4.0", "ftp://models/x")]
    [InlineData("medicalmodels", "spec.source.uri", "s3://bucket/model", "pvc://Bad_Claim/x")]
    [InlineData("medicalmodels", "spec.source.trainingJobRef.name", "chest-xray-train", "Chest_Xray")]
    [InlineData("medicalmodels", "spec.runtime.readinessPath", "/healthz", "healthz")]
    [InlineData("medicalmodels", "spec.resources.gpu.resourceName", "nvidia.com/gpu", "gpu")]
    [InlineData("trainingjobs", "spec.dataset.claimName", "cxr-2024", "CXR 2024")]
    [InlineData("trainingjobs", "spec.output.claimName", "models", "-models")]
    [InlineData("trainingjobs", "spec.output.path", "chest-xray/1.5.0", "/abs/path")]
    [InlineData("trainingjobs", "spec.model.name", "chest-xray", "1-chest-xray")]
    [InlineData("trainingjobs", "spec.priorityClassName", "", "High_Priority")]
    [InlineData("workspaces", "spec.image.http", "https://images.example/ubuntu.qcow2", "ftp://images.example/x")]
    [InlineData("workspaces", "spec.gpu.deviceName", "nvidia.com/GA100_A100_PCIE_40GB", "GA100")]
    [InlineData("workspaces", "spec.disk.storageClassName", "", "Fast SSD")]
    public void Patterns_accept_good_values_and_reject_bad_ones(string plural, string path, string good, string bad)
    {
        var pattern = new System.Text.RegularExpressions.Regex(CrdSchema.At(plural, path)["pattern"]!.GetValue<string>());

        Assert.Matches(pattern, good);
        Assert.DoesNotMatch(pattern, bad);
    }

    [Fact]
    public void Conditions_are_a_list_map_keyed_by_type_in_the_metav1_condition_shape()
    {
        foreach (var plural in new[] { "medicalmodels", "trainingjobs", "workspaces" })
        {
            var conditions = CrdSchema.At(plural, "status.conditions");
            Assert.Equal("map", conditions["x-kubernetes-list-type"]!.GetValue<string>());
            Assert.Equal(["type"], Strings(conditions["x-kubernetes-list-map-keys"]));
            Assert.Equal(["lastTransitionTime", "message", "reason", "status", "type"], Strings(conditions["items"]!["required"]));
            Assert.Equal(["True", "False", "Unknown"], Strings(conditions["items"]!["properties"]!["status"]!["enum"]));
        }
    }

    [Theory]
    [InlineData("medicalmodels", "observedGeneration,phase,conditions,replicas,readyReplicas,endpoint,modelUri,lineage")]
    [InlineData("trainingjobs", "observedGeneration,phase,conditions,attempt,restarts,workers,startTime,completionTime,outputUri,model")]
    [InlineData("workspaces", "observedGeneration,phase,conditions,vmName")]
    public void Status_has_every_field_api_md_lists(string plural, string fields)
    {
        var status = CrdSchema.At(plural, "status")["properties"]!.AsObject();

        Assert.All(fields.Split(','), field => Assert.True(status.ContainsKey(field), $"{plural} status lacks {field}"));
    }

    [Fact]
    public void Environment_variables_are_a_structural_core_v1_env_var_list()
    {
        var env = CrdSchema.At("trainingjobs", "spec.env");

        Assert.Equal("array", env["type"]!.GetValue<string>());
        Assert.Equal(["name"], Strings(env["items"]!["required"]));
        Assert.True(env["items"]!["properties"]!["valueFrom"]!["x-kubernetes-preserve-unknown-fields"]!.GetValue<bool>());
    }

    private static string[] Strings(JsonNode? array) => array?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
}
