using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MedOps.Runtime.Api;

namespace MedOps.Runtime.Writes;

/// <summary>
/// Adds and removes finalizers with merge patches that carry the object's resourceVersion: the
/// apiserver applies them only to the version the reconciler read, so a concurrent change of the
/// list is never lost (a stale patch gets 409 Conflict, which the controller requeues).
/// </summary>
public sealed class FinalizerWriter(KubeApi api)
{
    /// <summary>Adds <paramref name="finalizer"/> unless present; true when it wrote.</summary>
    public async Task<bool> EnsureAsync<T>(T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var current = obj.Metadata.Finalizers ?? [];
        if (current.Contains(finalizer))
        {
            return false;
        }
        await PatchAsync(obj, [.. current, finalizer], cancellationToken);
        return true;
    }

    /// <summary>Removes <paramref name="finalizer"/> if present; true when it wrote.</summary>
    public async Task<bool> RemoveAsync<T>(T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var current = obj.Metadata.Finalizers ?? [];
        if (!current.Contains(finalizer))
        {
            return false;
        }
        await PatchAsync(obj, current.Where(f => f != finalizer).ToList(), cancellationToken);
        return true;
    }

    private Task PatchAsync<T>(T obj, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = obj.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            },
        };
        return api.MergePatchAsync<System.Text.Json.JsonElement>(ResourceType.For<T>(), obj.Metadata.NamespaceProperty, obj.Metadata.Name,
            patch.ToJsonString(), cancellationToken: cancellationToken);
    }
}
