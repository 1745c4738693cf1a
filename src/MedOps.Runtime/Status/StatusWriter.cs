using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MedOps.Runtime.Api;

namespace MedOps.Runtime.Status;

/// <summary>
/// Writes an object's status through the status subresource, never its spec, and only when the
/// new status differs from the cached one, so a steady-state reconcile writes nothing.
/// </summary>
public sealed class StatusWriter(KubeApi api, string fieldManager = Writes.ChildApplier.DefaultFieldManager)
{
    /// <summary>
    /// Merge-patches <c>status</c> to <paramref name="status"/> unless <paramref name="cachedStatus"/>
    /// already equals it. Top-level status fields that disappeared are removed explicitly.
    /// With <paramref name="onlyIfUnchanged"/>, the patch carries <paramref name="obj"/>'s
    /// <c>resourceVersion</c>: when the object changed since it was read, the API server refuses
    /// it with 409 Conflict (the controller requeues), so a decision made on a stale copy (a new
    /// attempt, a restart count) never overwrites a newer one. Returns whether it wrote.
    /// </summary>
    public async Task<bool> UpdateAsync<T>(T obj, object? cachedStatus, object status, CancellationToken cancellationToken, bool onlyIfUnchanged = false)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var desired = JsonNode.Parse(KubernetesJson.Serialize(status))!.AsObject();
        var current = cachedStatus is null ? null : JsonNode.Parse(KubernetesJson.Serialize(cachedStatus)) as JsonObject;
        if (current is not null && JsonNode.DeepEquals(desired, current))
        {
            return false;
        }
        var patchStatus = desired.DeepClone().AsObject();
        foreach (var gone in current?.Select(p => p.Key).Where(k => !desired.ContainsKey(k)) ?? [])
        {
            patchStatus[gone] = null;
        }
        var patch = new JsonObject { ["status"] = patchStatus };
        if (onlyIfUnchanged)
        {
            patch["metadata"] = new JsonObject { ["resourceVersion"] = obj.Metadata.ResourceVersion };
        }
        await api.MergePatchAsync<JsonElement>(ResourceType.For<T>(), obj.Metadata.NamespaceProperty, obj.Metadata.Name,
            patch.ToJsonString(), subresource: "status", fieldManager: fieldManager, cancellationToken: cancellationToken);
        return true;
    }
}
