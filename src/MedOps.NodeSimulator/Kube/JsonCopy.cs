using k8s;

namespace MedOps.NodeSimulator.Kube;

/// <summary>Deep copies and comparisons of API model objects through their JSON form.</summary>
internal static class JsonCopy
{
    public static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));

    public static bool SameJson<T>(T a, T b) =>
        string.Equals(KubernetesJson.Serialize(a), KubernetesJson.Serialize(b), StringComparison.Ordinal);
}
