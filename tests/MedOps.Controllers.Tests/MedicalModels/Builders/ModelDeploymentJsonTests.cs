using System.Text.Json;
using k8s;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;

namespace MedOps.Controllers.Tests.MedicalModels.Builders;

/// <summary>What goes over the wire: the Deployment as the client serialises it for server-side apply.</summary>
public class ModelDeploymentJsonTests
{
    private static JsonElement Serialise(Action<V1Alpha1MedicalModelSpec>? change = null)
    {
        var model = TestModels.ChestXray(change);
        var json = KubernetesJson.Serialize(ModelDeploymentBuilder.Build(model, TestModels.SourceOf(model), TestModels.Defaults));
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static JsonElement At(JsonElement element, string path)
    {
        foreach (var step in path.Split('.'))
        {
            element = int.TryParse(step, out var index) ? element[index] : element.GetProperty(step);
        }
        return element;
    }

    private static bool Has(JsonElement element, string path)
    {
        var steps = path.Split('.');
        foreach (var step in steps)
        {
            if (int.TryParse(step, out var index))
            {
                if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() <= index)
                {
                    return false;
                }
                element = element[index];
            }
            else if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(step, out element))
            {
                return false;
            }
        }
        return true;
    }

    [Fact]
    public void A_full_gpu_deployment_serialises_with_the_api_field_names_and_types()
    {
        var json = Serialise(s =>
        {
            s.Source.Uri = "s3://radiology-models/chest-xray/1.4.0";
            s.Source.Digest = TestModels.Digest;
            s.Resources = new ComputeResources { Cpu = "500m", Memory = "16Gi", Gpu = new GpuSpec { Count = 1, Products = ["NVIDIA-A100-SXM4-80GB"], MinMemory = "80G" } };
        });

        Assert.Equal("apps/v1", At(json, "apiVersion").GetString());
        Assert.Equal("Deployment", At(json, "kind").GetString());
        Assert.Equal("chest-xray", At(json, "metadata.name").GetString());
        Assert.Equal("radiology", At(json, "metadata.namespace").GetString());
        Assert.Equal("medops-operator", At(json, "metadata.labels").GetProperty("app.kubernetes.io/managed-by").GetString());
        Assert.True(At(json, "metadata.ownerReferences.0.controller").GetBoolean());
        Assert.True(At(json, "metadata.ownerReferences.0.blockOwnerDeletion").GetBoolean());
        Assert.Equal(2, At(json, "spec.replicas").GetInt32());
        Assert.Equal("chest-xray", At(json, "spec.selector.matchLabels").GetProperty("medops.io/medicalmodel").GetString());

        var pod = At(json, "spec.template.spec");
        Assert.False(At(pod, "automountServiceAccountToken").GetBoolean());
        Assert.True(At(pod, "securityContext.runAsNonRoot").GetBoolean());
        Assert.Equal("RuntimeDefault", At(pod, "securityContext.seccompProfile.type").GetString());
        Assert.Equal("server", At(pod, "containers.0.name").GetString());
        Assert.Equal("http", At(pod, "containers.0.ports.0.name").GetString());
        Assert.Equal(8000, At(pod, "containers.0.ports.0.containerPort").GetInt32());
        // Named ports go out as JSON strings, not numbers.
        Assert.Equal(JsonValueKind.String, At(pod, "containers.0.readinessProbe.httpGet.port").ValueKind);
        Assert.Equal("http", At(pod, "containers.0.readinessProbe.httpGet.port").GetString());
        Assert.Equal("/v2/health/ready", At(pod, "containers.0.readinessProbe.httpGet.path").GetString());
        Assert.Equal("500m", At(pod, "containers.0.resources.limits.cpu").GetString());
        Assert.Equal("500m", At(pod, "containers.0.resources.requests.cpu").GetString());
        Assert.Equal("16Gi", At(pod, "containers.0.resources.limits.memory").GetString());
        Assert.Equal("1", At(pod, "containers.0.resources.limits").GetProperty("nvidia.com/gpu").GetString());
        Assert.Equal("1", At(pod, "containers.0.resources.requests").GetProperty("nvidia.com/gpu").GetString());
        Assert.True(At(pod, "containers.0.volumeMounts.0.readOnly").GetBoolean());
        Assert.Equal("/mnt/models", At(pod, "containers.0.volumeMounts.0.mountPath").GetString());
        Assert.False(At(pod, "containers.0.securityContext.allowPrivilegeEscalation").GetBoolean());
        Assert.Equal("ALL", At(pod, "containers.0.securityContext.capabilities.drop.0").GetString());
        Assert.Equal("model-initializer", At(pod, "initContainers.0.name").GetString());
        Assert.Equal("MODEL_URI", At(pod, "initContainers.0.env.0.name").GetString());
        Assert.Equal("s3://radiology-models/chest-xray/1.4.0", At(pod, "initContainers.0.env.0.value").GetString());
        Assert.Equal(JsonValueKind.Object, At(pod, "volumes.0.emptyDir").ValueKind);
        Assert.Equal("nvidia.com/gpu", At(pod, "tolerations.0.key").GetString());
        Assert.Equal("Exists", At(pod, "tolerations.0.operator").GetString());
        Assert.Equal("NoSchedule", At(pod, "tolerations.0.effect").GetString());
        var term = At(pod, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions");
        Assert.Equal("nvidia.com/gpu.product", At(term, "0.key").GetString());
        Assert.Equal("In", At(term, "0.operator").GetString());
        Assert.Equal("NVIDIA-A100-SXM4-80GB", At(term, "0.values.0").GetString());
        Assert.Equal("nvidia.com/gpu.memory", At(term, "1.key").GetString());
        Assert.Equal("Gt", At(term, "1.operator").GetString());
        Assert.Equal("76293", At(term, "1.values.0").GetString());
    }

    [Fact]
    public void A_claim_deployment_serialises_the_read_only_claim_and_the_sub_path()
    {
        var pod = At(Serialise(), "spec.template.spec");

        Assert.Equal("models", At(pod, "volumes.0.persistentVolumeClaim.claimName").GetString());
        Assert.True(At(pod, "volumes.0.persistentVolumeClaim.readOnly").GetBoolean());
        Assert.Equal("chest-xray/1.4.0", At(pod, "containers.0.volumeMounts.0.subPath").GetString());
        Assert.False(Has(pod, "initContainers"));
    }

    [Fact]
    public void An_autoscaled_deployment_sends_no_replicas_field_at_all()
    {
        var json = Serialise(s => s.Autoscaling = new ModelAutoscaling { MinReplicas = 1, MaxReplicas = 4 });

        // Absent, not null: server-side apply then leaves the count to the autoscaler.
        Assert.False(Has(json, "spec.replicas"));
    }

    [Fact]
    public void A_suspended_deployment_sends_replicas_zero()
    {
        Assert.Equal(0, At(Serialise(s => s.Suspend = true), "spec.replicas").GetInt32());
    }

    [Fact]
    public void Nothing_the_model_carries_for_gitops_reaches_the_wire()
    {
        var model = TestModels.ChestXray();
        var json = KubernetesJson.Serialize(ModelDeploymentBuilder.Build(model, TestModels.SourceOf(model), TestModels.Defaults));

        Assert.DoesNotContain("app.kubernetes.io/instance", json, StringComparison.Ordinal);
        Assert.DoesNotContain("argocd.argoproj.io", json, StringComparison.Ordinal);
        Assert.DoesNotContain("dr.smith", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"team\"", json, StringComparison.Ordinal);
    }
}
