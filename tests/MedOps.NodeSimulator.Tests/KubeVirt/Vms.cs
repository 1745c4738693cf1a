using System.Text.Json.Nodes;

namespace MedOps.NodeSimulator.Tests.KubeVirt;

/// <summary>VirtualMachine and DataVolume objects as JSON, the way the simulator sees them.</summary>
internal static class Vms
{
    public static readonly DateTime Created = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    public static JsonObject VirtualMachine(string runStrategySpec = "\"runStrategy\": \"Always\"", string gpus = "[]", string tolerations = "[]", string nodeSelector = "{}") =>
        JsonNode.Parse("""
        {
          "apiVersion": "kubevirt.io/v1",
          "kind": "VirtualMachine",
          "metadata": {"name": "dr-smith", "namespace": "research", "uid": "vm-uid", "generation": 3, "resourceVersion": "5",
                       "creationTimestamp": "2025-01-01T12:00:00Z"},
          "spec": {
            __RUN__,
            "dataVolumeTemplates": [{
              "metadata": {"name": "dr-smith-rootdisk", "labels": {"medops.io/workspace": "dr-smith"}},
              "spec": {"source": {"registry": {"url": "docker://quay.io/containerdisks/ubuntu:22.04"}},
                       "storage": {"resources": {"requests": {"storage": "20Gi"}}}}
            }],
            "template": {"spec": {
              "domain": {"cpu": {"cores": 2}, "devices": {"gpus": __GPUS__}},
              "volumes": [{"name": "rootdisk", "dataVolume": {"name": "dr-smith-rootdisk"}}],
              "tolerations": __TOLERATIONS__,
              "nodeSelector": __SELECTOR__
            }}
          }
        }
        """.Replace("__RUN__", runStrategySpec, StringComparison.Ordinal).Replace("__GPUS__", gpus, StringComparison.Ordinal)
            .Replace("__TOLERATIONS__", tolerations, StringComparison.Ordinal).Replace("__SELECTOR__", nodeSelector, StringComparison.Ordinal))!.AsObject();

    public static JsonObject DataVolume(string name = "dr-smith-rootdisk", string? phase = null, string source = """{"http": {"url": "https://x"}}""")
    {
        var dv = JsonNode.Parse("""
        {
          "apiVersion": "cdi.kubevirt.io/v1beta1",
          "kind": "DataVolume",
          "metadata": {"name": "__NAME__", "namespace": "research", "uid": "dv-uid", "resourceVersion": "7",
                       "creationTimestamp": "2025-01-01T12:00:00Z"},
          "spec": {"source": __SOURCE__, "storage": {"resources": {"requests": {"storage": "20Gi"}}}}
        }
        """.Replace("__NAME__", name, StringComparison.Ordinal).Replace("__SOURCE__", source, StringComparison.Ordinal))!.AsObject();
        if (phase is not null)
        {
            dv["status"] = new JsonObject { ["phase"] = phase };
        }

        return dv;
    }

    public static string? Text(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = node?[name];
        }

        return node?.GetValue<string>();
    }

    public static bool? Flag(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = node?[name];
        }

        return node?.GetValue<bool>();
    }

    public static JsonObject Condition(JsonObject status, string type) =>
        status["conditions"]!.AsArray().OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == type);
}
