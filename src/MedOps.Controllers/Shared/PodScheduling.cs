using k8s.Models;

namespace MedOps.Controllers.Shared;

/// <summary>
/// Copies a kind's <c>spec.nodeSelector</c> and <c>spec.tolerations</c> into the pod spec it
/// builds, the same way for every kind. Runs before <see cref="GpuPlacement"/>, which adds its
/// own toleration (once) and node affinity next to the user's.
/// </summary>
public static class PodScheduling
{
    /// <summary>
    /// The node selector to set on a pod: the user's labels in ordinal key order (so the applied
    /// object never changes with a dictionary's order), or null when there are none.
    /// </summary>
    public static Dictionary<string, string>? NodeSelector(IDictionary<string, string>? nodeSelector)
    {
        if (nodeSelector is not { Count: > 0 })
        {
            return null;
        }
        var sorted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in nodeSelector.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            sorted[key] = value;
        }
        return sorted;
    }

    /// <summary>Copies of the user's tolerations, in their order, or null when there are none.</summary>
    public static List<V1Toleration>? Tolerations(IList<V1Toleration>? tolerations) =>
        tolerations is { Count: > 0 }
            ? [.. tolerations.Select(t => new V1Toleration
            {
                Key = Empty(t.Key),
                OperatorProperty = Empty(t.OperatorProperty),
                Value = Empty(t.Value),
                Effect = Empty(t.Effect),
                TolerationSeconds = t.TolerationSeconds,
            })]
            : null;

    /// <summary>Sets <paramref name="pod"/>'s node selector and tolerations from a kind's spec.</summary>
    public static void Apply(V1PodSpec pod, IDictionary<string, string>? nodeSelector, IList<V1Toleration>? tolerations)
    {
        ArgumentNullException.ThrowIfNull(pod);
        pod.NodeSelector = NodeSelector(nodeSelector);
        pod.Tolerations = Tolerations(tolerations);
    }

    // An empty string means "not set" to Kubernetes; leave it out of the applied object.
    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
