using System.Globalization;
using System.Text.Json.Nodes;
using MedOps.NodeSimulator.Nodes;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>
/// Whether a VM's virt-launcher pod would fit on some simulated node, as the scheduler decides
/// for pods, checking what its filters check in their order: the VM template's tolerations must
/// tolerate each of the node's <c>NoSchedule</c> and <c>NoExecute</c> taints, the node's labels
/// must match the template's <c>nodeSelector</c>, and the node must offer every GPU device the VM
/// passes through. A node is reported by the first check it fails, as the scheduler reports it.
/// Real KubeVirt leaves such a VM <c>ErrorUnschedulable</c>; so does the simulator.
/// </summary>
internal static class VirtualMachinePlacement
{
    /// <summary>Null when some node fits; otherwise the scheduler's kind of message, naming what each node lacks.</summary>
    public static string? Unschedulable(JsonObject vm, IReadOnlyList<SimulatedNode> nodes)
    {
        if (nodes.Count == 0)
        {
            return "0/0 nodes are available.";
        }
        var devices = JsonFields.Objects(vm, "spec", "template", "spec", "domain", "devices", "gpus")
            .Select(gpu => JsonFields.String(gpu, "deviceName"))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var tolerations = JsonFields.Objects(vm, "spec", "template", "spec", "tolerations").ToList();
        var selector = JsonFields.At(vm, "spec", "template", "spec", "nodeSelector") is JsonObject labels
            ? labels.Select(l => (l.Key, Value: l.Value?.GetValue<string>() ?? "")).ToList()
            : [];
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var reason = Misfit(node, devices, tolerations, selector);
            if (reason is null)
            {
                return null;
            }
            reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
        }
        var parts = reasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Value} {r.Key}"));
        return string.Create(CultureInfo.InvariantCulture, $"0/{nodes.Count} nodes are available: {string.Join(", ", parts)}.");
    }

    private static string? Misfit(SimulatedNode node, List<string> devices, List<JsonObject> tolerations, List<(string Key, string Value)> selector)
    {
        var untolerated = node.Taints.FirstOrDefault(t => t.Effect is "NoSchedule" or "NoExecute" && !tolerations.Any(tol => Tolerates(tol, t.Key, t.Value, t.Effect)));
        if (untolerated is not null)
        {
            return $"node(s) had taint {{{untolerated.Key}: {untolerated.Value}}}, that the pod didn't tolerate";
        }
        if (selector.Any(l => !node.Labels.TryGetValue(l.Key, out var value) || value != l.Value))
        {
            return "node(s) didn't match Pod's node affinity/selector";
        }
        var missing = devices.FirstOrDefault(d => !node.Capacity.ContainsKey(d));
        return missing is null ? null : $"Insufficient {missing}";
    }

    // The core/v1 rule: an empty key with Exists tolerates every taint; an empty effect every effect.
    private static bool Tolerates(JsonObject toleration, string key, string? value, string effect)
    {
        var tolKey = JsonFields.String(toleration, "key") ?? "";
        var op = JsonFields.String(toleration, "operator") ?? "Equal";
        var tolEffect = JsonFields.String(toleration, "effect") ?? "";
        if (tolEffect.Length > 0 && tolEffect != effect)
        {
            return false;
        }
        if (tolKey.Length == 0)
        {
            return op == "Exists";
        }
        return tolKey == key && (op == "Exists" || (JsonFields.String(toleration, "value") ?? "") == (value ?? ""));
    }
}
