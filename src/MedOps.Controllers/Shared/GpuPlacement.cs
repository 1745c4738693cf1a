using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using k8s.Models;
using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Shared;

/// <summary>
/// Applies a <see cref="GpuSpec"/> to a pod, as api.md's GPU placement rules say: the extended
/// resource as limit and request, a toleration for its <c>NoSchedule</c> taint, and required node
/// affinity on the labels that GPU feature discovery sets (<c>nvidia.com/gpu.product</c>,
/// <c>nvidia.com/gpu.memory</c> in MiB). Nothing at all when the count is 0.
/// </summary>
public static class GpuPlacement
{
    /// <summary>The node label with the GPU product name, set by GPU feature discovery.</summary>
    public const string ProductLabel = "nvidia.com/gpu.product";

    /// <summary>The node label with the memory of one GPU in MiB, set by GPU feature discovery.</summary>
    public const string MemoryLabel = "nvidia.com/gpu.memory";

    private const decimal BytesPerMiB = 1024 * 1024;

    /// <summary>
    /// Adds <paramref name="gpu"/>'s placement to <paramref name="pod"/> and
    /// <paramref name="container"/>, keeping what they already have: resources are added to the
    /// container's limits and requests; the toleration is appended (once); the node affinity
    /// expressions are ANDed into every existing required node selector term, or form a single
    /// new term (products and minMemory together, so both must hold). A null spec or a count of
    /// 0 changes nothing, even with products or minMemory set: there is no GPU to place.
    /// </summary>
    /// <exception cref="ArgumentException">minMemory is not a quantity (validate first).</exception>
    public static void Apply(GpuSpec? gpu, V1PodSpec pod, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        if (gpu is null || gpu.Count <= 0)
        {
            return;
        }
        var resourceName = ResourceName(gpu);
        var count = new ResourceQuantity(gpu.Count.ToString(CultureInfo.InvariantCulture));
        container.Resources ??= new V1ResourceRequirements();
        container.Resources.Limits ??= new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        container.Resources.Requests ??= new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        container.Resources.Limits[resourceName] = count;
        container.Resources.Requests[resourceName] = count;

        pod.Tolerations = AddTolerations(pod.Tolerations, resourceName);

        var expressions = NodeSelectorRequirements(gpu);
        if (expressions.Count > 0)
        {
            AddRequiredNodeAffinity(pod, expressions);
        }
    }

    /// <summary>
    /// <paramref name="existing"/> plus, for each key, the toleration
    /// <c>{key, operator: Exists, effect: NoSchedule}</c> of the taint that GPU nodes carry
    /// (GPU operators taint them with the resource name), each added once.
    /// </summary>
    public static List<V1Toleration> AddTolerations(IEnumerable<V1Toleration>? existing, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var tolerations = existing?.ToList() ?? [];
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (!tolerations.Any(t => t.Key == key && t.OperatorProperty == "Exists" && t.Effect == "NoSchedule" && t.Value is null))
            {
                tolerations.Add(new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = "NoSchedule" });
            }
        }
        return tolerations;
    }

    /// <summary>The extended resource name: the spec's, or <c>nvidia.com/gpu</c> when it is empty.</summary>
    public static string ResourceName(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return string.IsNullOrEmpty(gpu.ResourceName) ? GpuSpec.DefaultResourceName : gpu.ResourceName;
    }

    /// <summary>
    /// The required node affinity expressions of <paramref name="gpu"/> (regardless of its
    /// count): <c>nvidia.com/gpu.product In products</c> when products are set, and
    /// <c>nvidia.com/gpu.memory Gt &lt;minMemory in MiB − 1&gt;</c> when minMemory is set.
    /// </summary>
    /// <exception cref="ArgumentException">minMemory is not a quantity (validate first).</exception>
    public static List<V1NodeSelectorRequirement> NodeSelectorRequirements(GpuSpec gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var expressions = new List<V1NodeSelectorRequirement>();
        // An In with no values is invalid; empty entries are no product.
        var products = (gpu.Products ?? []).Where(p => !string.IsNullOrEmpty(p)).Distinct(StringComparer.Ordinal).ToList();
        if (products.Count > 0)
        {
            expressions.Add(new V1NodeSelectorRequirement { Key = ProductLabel, OperatorProperty = "In", Values = products });
        }
        if (!string.IsNullOrEmpty(gpu.MinMemory))
        {
            if (!TryGetMinMemoryMiB(gpu.MinMemory, out var mib, out var error))
            {
                throw new ArgumentException($"gpu.minMemory: {error} (validate the spec before building).", nameof(gpu));
            }
            // Gt is strict and the label is a whole number of MiB: "at least N" is "greater than N-1".
            expressions.Add(new V1NodeSelectorRequirement
            {
                Key = MemoryLabel,
                OperatorProperty = "Gt",
                Values = [(mib - 1).ToString(CultureInfo.InvariantCulture)],
            });
        }
        return expressions;
    }

    /// <summary>
    /// <paramref name="minMemory"/> in whole MiB, the unit of the <c>nvidia.com/gpu.memory</c>
    /// label, rounded UP: a GPU must have at least the memory asked for, so <c>80G</c>
    /// (80,000,000,000 bytes = 76,293.95 MiB) needs 76,294 MiB; rounding down would admit a GPU
    /// slightly smaller than asked. <c>40Gi</c> is 40,960 and <c>81920Mi</c> 81,920 exactly.
    /// Fails for text that is not a quantity, a negative quantity, or one too large for the
    /// 64-bit integer that <c>Gt</c> compares.
    /// </summary>
    public static bool TryGetMinMemoryMiB(string? minMemory, out long mib, [NotNullWhen(false)] out string? error)
    {
        mib = 0;
        if (!KubernetesQuantity.TryParse(minMemory, out _, out var bytes))
        {
            error = $"\"{minMemory}\" is not a Kubernetes quantity such as 40Gi or 81920Mi";
            return false;
        }
        if (bytes < 0)
        {
            error = $"\"{minMemory}\" is negative";
            return false;
        }
        var wholeMiB = decimal.Ceiling(bytes / BytesPerMiB);
        if (wholeMiB > long.MaxValue)
        {
            error = $"\"{minMemory}\" is larger than any GPU";
            return false;
        }
        mib = (long)wholeMiB;
        error = null;
        return true;
    }

    private static void AddRequiredNodeAffinity(V1PodSpec pod, List<V1NodeSelectorRequirement> expressions)
    {
        pod.Affinity ??= new V1Affinity();
        pod.Affinity.NodeAffinity ??= new V1NodeAffinity();
        var required = pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution;
        if (required?.NodeSelectorTerms is not { Count: > 0 } terms)
        {
            pod.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
            {
                NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = expressions }],
            };
            return;
        }
        // Terms are ORed: the GPU requirements must hold in each of them.
        foreach (var term in terms)
        {
            term.MatchExpressions ??= [];
            foreach (var expression in expressions)
            {
                term.MatchExpressions.Add(new V1NodeSelectorRequirement
                {
                    Key = expression.Key,
                    OperatorProperty = expression.OperatorProperty,
                    Values = [.. expression.Values],
                });
            }
        }
    }
}
