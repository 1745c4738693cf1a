using System.Text.Json.Nodes;
using k8s.Models;

namespace MedOps.NodeSimulator.Nodes;

/// <summary>
/// Pure builders for what the simulator writes about a node: the object to create, the status a
/// kubelet would report, and the spec corrections (labels, taints) it needs. No I/O.
/// </summary>
internal static class NodeObjects
{
    public const string KubeletVersion = "v1.20.2";

    /// <summary>Taints the node lifecycle machinery puts on nodes whose kubelet is not (yet) heard from.</summary>
    public static readonly IReadOnlySet<string> LifecycleTaintKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    };

    public static V1Node NewNode(SimulatedNode node) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = node.Name, Labels = new Dictionary<string, string>(node.Labels) },
        Spec = new V1NodeSpec { Taints = node.Taints.Select(CopyTaint).ToList() },
    };

    /// <summary>
    /// The merge patch for <c>/status</c>: capacity, Ready and the pressure conditions with a fresh
    /// heartbeat. A condition keeps its lastTransitionTime while its status does not change.
    /// </summary>
    public static JsonObject StatusPatch(SimulatedNode node, V1Node? current, DateTime now)
    {
        var heartbeat = Timestamps.Format(now);
        var existing = current?.Status?.Conditions ?? [];

        JsonObject Condition(string type, string status, string reason, string message)
        {
            var previous = existing.FirstOrDefault(c => c.Type == type);
            var transition = previous?.Status == status && previous.LastTransitionTime is { } since
                ? Timestamps.Format(since)
                : heartbeat;
            return new JsonObject
            {
                ["type"] = type,
                ["status"] = status,
                ["reason"] = reason,
                ["message"] = message,
                ["lastHeartbeatTime"] = heartbeat,
                ["lastTransitionTime"] = transition,
            };
        }

        var resources = new JsonObject();
        foreach (var (name, amount) in node.Capacity)
        {
            resources[name] = amount;
        }

        return new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["capacity"] = resources.DeepClone(),
                ["allocatable"] = resources,
                ["conditions"] = new JsonArray(
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    Condition("Ready", "True", "KubeletReady", "simulated kubelet is posting ready status")),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = node.InternalIp },
                    new JsonObject { ["type"] = "Hostname", ["address"] = node.Name }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = node.Name,
                    ["systemUUID"] = node.Name,
                    ["bootID"] = node.Name,
                    ["kernelVersion"] = "5.10.0-simulated",
                    ["osImage"] = "MedOps simulated node",
                    ["containerRuntimeVersion"] = "simulated://1.0.0",
                    ["kubeletVersion"] = KubeletVersion,
                    ["kubeProxyVersion"] = KubeletVersion,
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
            },
        };
    }

    /// <summary>True when the node reports Ready=True.</summary>
    public static bool IsReady(V1Node? node) =>
        node?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>
    /// The taint list the node should have: its current taints without the lifecycle taints
    /// (there is a kubelet now, a simulated one), plus the node's own taints if missing.
    /// Null when the current list is already right.
    /// </summary>
    public static IList<V1Taint>? DesiredTaints(SimulatedNode node, IList<V1Taint>? current)
    {
        current ??= [];
        var desired = current.Where(t => !LifecycleTaintKeys.Contains(t.Key)).Select(CopyTaint).ToList();
        foreach (var required in node.Taints)
        {
            if (!desired.Any(t => t.Key == required.Key && t.Effect == required.Effect))
            {
                desired.Add(CopyTaint(required));
            }
        }

        return desired.Count == current.Count && desired.All(d => current.Any(c => c.Key == d.Key && c.Effect == d.Effect))
            ? null
            : desired;
    }

    /// <summary>The labels that are missing or different on the node, or null when none are.</summary>
    public static IDictionary<string, string>? MissingLabels(SimulatedNode node, IDictionary<string, string>? current)
    {
        var missing = node.Labels
            .Where(l => current is null || !current.TryGetValue(l.Key, out var value) || value != l.Value)
            .ToDictionary(l => l.Key, l => l.Value);
        return missing.Count == 0 ? null : missing;
    }

    /// <summary>A merge patch of labels and taints, guarded by resourceVersion so a concurrent edit is not lost.</summary>
    public static JsonObject SpecPatch(string resourceVersion, IDictionary<string, string>? labels, IList<V1Taint>? taints)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (labels is not null)
        {
            var labelObject = new JsonObject();
            foreach (var (key, value) in labels)
            {
                labelObject[key] = value;
            }

            metadata["labels"] = labelObject;
        }

        var patch = new JsonObject { ["metadata"] = metadata };
        if (taints is not null)
        {
            var list = new JsonArray();
            foreach (var taint in taints)
            {
                var item = new JsonObject { ["key"] = taint.Key, ["effect"] = taint.Effect };
                if (taint.Value is not null)
                {
                    item["value"] = taint.Value;
                }

                if (taint.TimeAdded is { } added)
                {
                    item["timeAdded"] = Timestamps.Format(added);
                }

                list.Add(item);
            }

            patch["spec"] = new JsonObject { ["taints"] = list };
        }

        return patch;
    }

    private static V1Taint CopyTaint(V1Taint taint) =>
        new() { Key = taint.Key, Value = taint.Value, Effect = taint.Effect, TimeAdded = taint.TimeAdded };
}
