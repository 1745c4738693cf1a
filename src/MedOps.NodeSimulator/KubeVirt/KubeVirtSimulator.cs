using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MedOps.NodeSimulator.Kube;
using MedOps.NodeSimulator.Nodes;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>
/// Plays virt-controller and CDI: watches VirtualMachines and DataVolumes (waiting calmly while
/// their CRDs are not installed) and every PersistentVolumeClaim, creates DataVolumes from VM
/// templates and a claim for each DataVolume, and moves both through their phases by writing their
/// status subresource (a DataVolume waits for its claim, and a clone for its source, to be Bound).
/// </summary>
internal sealed class KubeVirtSimulator : IDisposable
{
    private const string VmPrefix = "vm:";
    private const string DvPrefix = "dv:";
    private const int Workers = 2;
    private const int ConflictRetries = 5;
    // A claim the API server refused (quota, validation) is tried again this long after, or at the next change.
    private static readonly TimeSpan ClaimRetry = TimeSpan.FromSeconds(30);

    private readonly IKubernetes client;
    private readonly IReadOnlyList<SimulatedNode> nodes;
    private readonly TimeSpan startupDelay;
    private readonly SimulatorLog log;
    private readonly TimeProvider time;
    private readonly DelayedWorkQueue queue;
    private readonly CustomObjectCache virtualMachines;
    private readonly CustomObjectCache dataVolumes;
    private readonly ObjectCache<V1PersistentVolumeClaim> claims;
    // The last claim-creation problem logged per DataVolume uid: each is logged once, not at every retry.
    private readonly ConcurrentDictionary<string, string> claimProblems = new(StringComparer.Ordinal);

    /// <param name="client">The cluster.</param>
    /// <param name="nodes">The simulated nodes: a VM runs only if one of them offers its GPU devices and its taints are tolerated.</param>
    /// <param name="startupDelay">How long Starting, Stopping and import steps last.</param>
    /// <param name="log">Where notable actions go.</param>
    /// <param name="time">The clock.</param>
    public KubeVirtSimulator(IKubernetes client, IReadOnlyList<SimulatedNode> nodes, TimeSpan startupDelay, SimulatorLog log, TimeProvider time)
    {
        this.client = client;
        this.nodes = nodes;
        this.startupDelay = startupDelay;
        this.log = log;
        this.time = time;
        queue = new DelayedWorkQueue(time, log, "kubevirt");
        virtualMachines = new CustomObjectCache((key, _) => queue.Add(VmPrefix + key));
        dataVolumes = new CustomObjectCache(OnDataVolumeChanged);
        claims = new ObjectCache<V1PersistentVolumeClaim>(OnClaimChanged, OnClaimsListed);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            Watch(KubeVirtApi.VirtualMachines, virtualMachines).RunAsync(cancellationToken),
            Watch(KubeVirtApi.DataVolumes, dataVolumes).RunAsync(cancellationToken),
            ClaimListWatch.Create(client, claims, log).RunAsync(cancellationToken),
            queue.RunAsync(HandleAsync, Workers, cancellationToken)).ConfigureAwait(false);
    }

    private ListWatchLoop<JsonObject> Watch(CustomResourceType type, CustomObjectCache cache) => new(
        type.Plural + "." + type.Group,
        async cancellationToken =>
        {
            var list = await client.CustomObjects.ListClusterCustomObjectAsync<JsonObject>(
                type.Group, type.Version, type.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            var items = JsonFields.Objects(list, "items").Select(i => (JsonObject)i.DeepClone()).ToList();
            return new ListResult<JsonObject>(items, JsonFields.String(list, "metadata", "resourceVersion"));
        },
        (resourceVersion, timeoutSeconds, onError, cancellationToken) => AsJsonObjects(
            client.CustomObjects.WatchListClusterCustomObjectAsync(
                type.Group, type.Version, type.Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion,
                timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken),
            onError),
        JsonFields.ResourceVersion,
        cache,
        log);

    /// <summary>The untyped watch yields JSON elements; the simulator works on mutable JSON objects.</summary>
    private static async IAsyncEnumerable<(WatchEventType, JsonObject)> AsJsonObjects(
        IAsyncEnumerable<(WatchEventType, object)> events, Action<Exception> onError)
    {
        await foreach (var (type, item) in events.ConfigureAwait(false))
        {
            var node = item switch
            {
                JsonObject obj => obj,
                JsonElement element => JsonNode.Parse(element.GetRawText()) as JsonObject,
                _ => null,
            };
            if (node is null)
            {
                onError(new InvalidDataException($"unexpected watch object {item?.GetType().Name ?? "null"}"));
                continue;
            }

            yield return (type, node);
        }
    }

    /// <summary>A DataVolume changed: reconcile it, and every VM in its namespace that uses it.</summary>
    private void OnDataVolumeChanged(string key, JsonObject? dataVolume)
    {
        queue.Add(DvPrefix + key);
        var separator = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..separator], key[(separator + 1)..]);
        foreach (var vm in virtualMachines.InNamespace(ns))
        {
            if (VirtualMachinePlanner.ReferencedDataVolumes(vm).Contains(name))
            {
                queue.Add(VmPrefix + JsonFields.Key(vm));
            }
        }
    }

    /// <summary>A claim changed or is gone: the DataVolume of its name, and every clone of it, look again.</summary>
    private void OnClaimChanged(V1PersistentVolumeClaim claim, bool gone)
    {
        var key = ObjectCache<V1PersistentVolumeClaim>.Key(claim);
        if (dataVolumes.Get(key) is not null)
        {
            queue.Add(DvPrefix + key);
        }

        foreach (var dataVolume in dataVolumes.All())
        {
            if (DataVolumeClaim.CloneSourceKey(dataVolume) == key)
            {
                queue.Add(DvPrefix + JsonFields.Key(dataVolume));
            }
        }
    }

    /// <summary>After a full LIST of claims every DataVolume looks again: until then a missing claim proved nothing.</summary>
    private void OnClaimsListed()
    {
        foreach (var dataVolume in dataVolumes.All())
        {
            queue.Add(DvPrefix + JsonFields.Key(dataVolume));
        }
    }

    private Task HandleAsync(string key, CancellationToken cancellationToken) =>
        key.StartsWith(VmPrefix, StringComparison.Ordinal)
            ? HandleVirtualMachineAsync(key[VmPrefix.Length..], cancellationToken)
            : HandleDataVolumeAsync(key[DvPrefix.Length..], cancellationToken);

    private async Task HandleDataVolumeAsync(string key, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt <= ConflictRetries; attempt++)
        {
            // Until the claims are listed, a missing claim proves nothing; the LIST queues every DataVolume again.
            if (dataVolumes.Get(key) is not { } dataVolume || !claims.IsSynced)
            {
                return;
            }

            var claim = claims.Get(key);
            if (claim is null && JsonFields.At(dataVolume, "metadata", "deletionTimestamp") is null)
            {
                if (!await EnsureClaimAsync(dataVolume, cancellationToken).ConfigureAwait(false))
                {
                    continue; // the DataVolume changed or is gone: look again
                }

                claim = claims.Get(key);
            }

            var source = DataVolumeClaim.CloneSourceKey(dataVolume) is { } sourceKey ? claims.Get(sourceKey) : null;
            var decision = DataVolumePlanner.Plan(dataVolume, claim, source, time.GetUtcNow().UtcDateTime, startupDelay);
            var outcome = decision.Status is { } status
                ? await WriteStatusAsync(KubeVirtApi.DataVolumes, dataVolumes, dataVolume, status, cancellationToken).ConfigureAwait(false)
                : WriteOutcome.Written;
            if (outcome == WriteOutcome.Conflict)
            {
                continue;
            }

            if (outcome == WriteOutcome.Gone)
            {
                return;
            }

            if (decision.Summary is { } summary)
            {
                log.Info($"datavolume {key}: {summary}");
            }

            if (decision.WakeAt is { } wakeAt)
            {
                queue.Schedule(DvPrefix + key, wakeAt);
            }

            return;
        }
    }

    private async Task HandleVirtualMachineAsync(string key, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt <= ConflictRetries; attempt++)
        {
            if (virtualMachines.Get(key) is not { } vm)
            {
                return;
            }

            var ns = JsonFields.Namespace(vm);
            var volumes = dataVolumes.InNamespace(ns).ToDictionary(JsonFields.Name, StringComparer.Ordinal);
            var decision = VirtualMachinePlanner.Plan(vm, volumes, nodes, time.GetUtcNow().UtcDateTime, startupDelay);

            foreach (var dataVolume in decision.DataVolumesToCreate)
            {
                await CreateDataVolumeAsync(ns, dataVolume, cancellationToken).ConfigureAwait(false);
            }

            var outcome = decision.Status is { } status
                ? await WriteStatusAsync(KubeVirtApi.VirtualMachines, virtualMachines, vm, status, cancellationToken).ConfigureAwait(false)
                : WriteOutcome.Written;
            if (outcome == WriteOutcome.Conflict)
            {
                continue;
            }

            if (outcome == WriteOutcome.Gone)
            {
                return;
            }

            if (decision.Summary is { } summary)
            {
                log.Info($"virtualmachine {key}: {summary}");
            }

            if (decision.WakeAt is { } wakeAt)
            {
                queue.Schedule(VmPrefix + key, wakeAt);
            }

            return;
        }
    }

    private async Task CreateDataVolumeAsync(string ns, JsonObject dataVolume, CancellationToken cancellationToken)
    {
        var type = KubeVirtApi.DataVolumes;
        try
        {
            var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(
                dataVolume, type.Group, type.Version, ns, type.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            dataVolumes.Store(created);
            queue.Add(DvPrefix + JsonFields.Key(created));
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            // Created meanwhile (or by someone else): the watch brings it.
        }
        catch (Exception e) when (ApiErrors.IsNamespaceTerminating(e))
        {
            // The namespace is being deleted, the VM with it.
        }
    }

    /// <summary>
    /// Creates the DataVolume's claim (<see cref="DataVolumeClaim.Build"/>), as CDI does; an existing
    /// claim of that name is never changed (the operator may have grown it, or let it go). First the
    /// DataVolume is read again: the garbage collector deletes the claim of a deleted DataVolume, and
    /// our DataVolume watch may not have told us yet that it is gone. Returns false when that read
    /// shows a DataVolume other than the one planned (gone, replaced, being deleted): plan again.
    /// </summary>
    private async Task<bool> EnsureClaimAsync(JsonObject dataVolume, CancellationToken cancellationToken)
    {
        var type = KubeVirtApi.DataVolumes;
        var (ns, name, key) = (JsonFields.Namespace(dataVolume), JsonFields.Name(dataVolume), JsonFields.Key(dataVolume));
        var uid = JsonFields.String(dataVolume, "metadata", "uid") ?? string.Empty;
        try
        {
            var fresh = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(
                type.Group, type.Version, ns, type.Plural, name, cancellationToken).ConfigureAwait(false);
            if (JsonFields.String(fresh, "metadata", "uid") != uid || JsonFields.At(fresh, "metadata", "deletionTimestamp") is not null)
            {
                dataVolumes.Store(fresh);
                return false;
            }
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            dataVolumes.Remove(key);
            return false;
        }

        V1PersistentVolumeClaim wanted;
        try
        {
            wanted = DataVolumeClaim.Build(dataVolume);
        }
        catch (FormatException e)
        {
            ClaimProblem(uid, key, $"cannot make its PVC: spec.storage.resources.requests.storage: {e.Message}");
            return true;
        }

        try
        {
            var created = await client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(wanted, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            claims.Store(created);
            claimProblems.TryRemove(uid, out _);
            log.Info($"datavolume {key}: created PVC {key} ({created.Spec.Resources?.Requests?["storage"]}, " +
                     $"{(string.IsNullOrEmpty(created.Spec.StorageClassName) ? "no class" : "class " + created.Spec.StorageClassName)})");
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            // Created before (our watch has not brought it yet) or by someone else: look at it, never overwrite it.
            try
            {
                claims.Store(await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
            catch (Exception notFound) when (ApiErrors.IsNotFound(notFound))
            {
                // Deleted meanwhile: its watch event brings us back.
            }
        }
        catch (Exception e) when (ApiErrors.IsNamespaceTerminating(e))
        {
            // The namespace is being deleted, the DataVolume with it.
        }
        catch (Exception e) when (ApiErrors.StatusOf(e) is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity)
        {
            // Refused (a quota, an invalid spec): as CDI, keep trying; the DataVolume's Bound condition stays Pending.
            ClaimProblem(uid, key, $"creating its PVC was refused: {ApiErrors.Describe(e)}");
            queue.Schedule(DvPrefix + key, time.GetUtcNow().UtcDateTime + ClaimRetry);
        }

        return true;
    }

    private void ClaimProblem(string uid, string key, string problem)
    {
        if (claimProblems.TryGetValue(uid, out var last) && last == problem)
        {
            return;
        }

        claimProblems[uid] = problem;
        log.Warn($"datavolume {key}: {problem}");
    }

    /// <summary>
    /// Replaces the status subresource, guarded by the cached resourceVersion. On a conflict the
    /// object is re-read into the cache, so the caller plans again.
    /// </summary>
    private async Task<WriteOutcome> WriteStatusAsync(
        CustomResourceType type, CustomObjectCache cache, JsonObject obj, JsonObject status, CancellationToken cancellationToken)
    {
        var (ns, name) = (JsonFields.Namespace(obj), JsonFields.Name(obj));
        try
        {
            var updated = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<JsonObject>(
                JsonFields.WithStatus(obj, status), type.Group, type.Version, ns, type.Plural, name,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            cache.Store(updated);
            return WriteOutcome.Written;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            cache.Remove(JsonFields.Key(obj));
            return WriteOutcome.Gone;
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            try
            {
                cache.Store(await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(
                    type.Group, type.Version, ns, type.Plural, name, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception notFound) when (ApiErrors.IsNotFound(notFound))
            {
                cache.Remove(JsonFields.Key(obj));
            }

            return WriteOutcome.Conflict;
        }
    }

    public void Dispose() => queue.Dispose();
}
