using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using MedOps.Runtime.Api;
using MedOps.Runtime.Informers;

namespace MedOps.Runtime.Writes;

/// <summary>
/// Writes child objects by server-side apply (field manager <see cref="FieldManager"/>, forced),
/// but only when the cached child differs from the desired one: a reconcile that finds
/// everything in place makes no API call. The desired object's hash travels in an annotation,
/// so a change of intent (a removed label, a dropped list entry) always reaches the server, and
/// drift made by others (a scaled Deployment, an edited port) is caught by the subset check.
/// </summary>
public sealed class ChildApplier(KubeApi api, string fieldManager = ChildApplier.DefaultFieldManager)
{
    /// <summary>The operator's field manager name.</summary>
    public const string DefaultFieldManager = "medops-operator";

    /// <summary>Annotation holding the hash of the last applied desired state.</summary>
    public const string HashAnnotation = "medops.io/desired-hash";

    // After an apply, the server may normalise values in ways the subset check cannot know;
    // remember what it answered, so the same intent against the same spec is not re-sent. The
    // spec's version is metadata.generation where the kind has one (status updates by other
    // controllers, such as a Deployment's rollout progress, do not move it), else resourceVersion.
    private readonly ConcurrentDictionary<(ResourceType, ObjectKey), (string Hash, string Version)> applied = new();

    /// <summary>The field manager used for applies.</summary>
    public string FieldManager { get; } = fieldManager;

    /// <summary>
    /// Applies <paramref name="desired"/> unless <paramref name="cached"/> already matches it.
    /// Returns the live object (the cached one when nothing was written) and whether it wrote.
    /// </summary>
    public Task<(T Object, bool Written)> ApplyAsync<T>(T desired, T? cached, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        ApplyAsync(ResourceType.For<T>(), desired, cached, cancellationToken);

    /// <summary>
    /// As <see cref="ApplyAsync{T}(T, T, CancellationToken)"/>, at an explicit API version: for kinds whose
    /// served version is chosen by discovery (an <c>autoscaling/v2</c> model sent as <c>v2beta2</c>).
    /// </summary>
    public async Task<(T Object, bool Written)> ApplyAsync<T>(ResourceType type, T desired, T? cached, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        desired.ApiVersion = type.ApiVersion;
        desired.Kind = type.Kind;
        var hash = Stamp(desired);
        var key = ObjectKey.Of(desired);
        if (cached is not null && IsUpToDate(type, key, desired, cached, hash))
        {
            return (cached, false);
        }
        var live = await api.ApplyAsync(type, desired.Metadata.NamespaceProperty, desired.Metadata.Name, desired, FieldManager, force: true, cancellationToken: cancellationToken);
        applied[(type, key)] = (hash, SpecVersion(live));
        return (live, true);
    }

    /// <summary>
    /// Forgets what was applied for an object that was deleted, so the memo holds only live
    /// children: the manager calls it for every delete its informers see.
    /// </summary>
    public void Forget(ResourceType type, ObjectKey key) => applied.TryRemove((type, key), out _);

    /// <summary>How many applied objects are remembered (for tests and metrics).</summary>
    public int Remembered => applied.Count;

    private bool IsUpToDate<T>(ResourceType type, ObjectKey key, T desired, T cached, string hash)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if ((cached.Metadata.Annotations is null || !cached.Metadata.Annotations.TryGetValue(HashAnnotation, out var stamped) || stamped != hash))
        {
            return false;
        }
        if (applied.TryGetValue((type, key), out var last) && last.Hash == hash && last.Version == SpecVersion(cached))
        {
            return true;
        }
        using var desiredDoc = JsonDocument.Parse(KubernetesJson.Serialize(desired));
        using var cachedDoc = JsonDocument.Parse(KubernetesJson.Serialize(cached));
        var desiredJson = desiredDoc.RootElement;
        var cachedJson = cachedDoc.RootElement;
        // apiVersion/kind are not kept on cached objects by every list path; compare the rest.
        return desiredJson.TryGetProperty("metadata", out var dm) && cachedJson.TryGetProperty("metadata", out var cm) && JsonSubset.IsSubset(dm, cm)
            && AllButMetadataMatch(desiredJson, cachedJson);
    }

    private static string SpecVersion(IMetadata<V1ObjectMeta> obj) =>
        obj.Metadata.Generation is { } generation and > 0 ? "g" + generation : "rv" + obj.Metadata.ResourceVersion;

    private static bool AllButMetadataMatch(JsonElement desired, JsonElement cached)
    {
        foreach (var property in desired.EnumerateObject())
        {
            if (property.Name is "metadata" or "apiVersion" or "kind" || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            if (!cached.TryGetProperty(property.Name, out var other) || !JsonSubset.IsSubset(property.Value, other))
            {
                return false;
            }
        }
        return true;
    }

    // Hashes the desired object (without the hash annotation itself) and stamps it on.
    private static string Stamp<T>(T desired)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        desired.Metadata.Annotations?.Remove(HashAnnotation);
        var bytes = Encoding.UTF8.GetBytes(KubernetesJson.Serialize(desired));
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        desired.Metadata.Annotations ??= new Dictionary<string, string>();
        desired.Metadata.Annotations[HashAnnotation] = hash;
        return hash;
    }
}
