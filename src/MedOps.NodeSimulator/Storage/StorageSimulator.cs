using k8s;
using k8s.Models;
using MedOps.NodeSimulator.Kube;
using MedOps.NodeSimulator.Nodes;

namespace MedOps.NodeSimulator.Storage;

/// <summary>
/// Plays a storage provisioner, the PersistentVolume controller and a resizing storage driver:
/// watches every claim and the volumes it provisioned, takes each claim one
/// <see cref="StoragePlanner"/> step at a time to Bound, expands the volume of a bound claim that
/// asks for more; releases and deletes a volume once its claim is gone.
/// </summary>
internal sealed class StorageSimulator : IDisposable
{
    private const string ClaimPrefix = "pvc:";
    private const string VolumePrefix = "pv:";
    private const int Workers = 2;
    // Binding takes four writes, an expansion three; the rest is room for conflicts with other writers.
    private const int MaxSteps = 10;

    private readonly IKubernetes client;
    private readonly TimeSpan startupDelay;
    private readonly SimulatorLog log;
    private readonly TimeProvider time;
    private readonly string? hostPathRoot;
    private readonly DelayedWorkQueue queue;
    private readonly ObjectCache<V1PersistentVolumeClaim> claims;
    private readonly ObjectCache<V1PersistentVolume> volumes;

    /// <param name="client">The cluster.</param>
    /// <param name="startupDelay">How long the node's part of a volume expansion (the file system) takes.</param>
    /// <param name="log">Where notable actions go.</param>
    /// <param name="time">The clock.</param>
    /// <param name="hostPathRoot">The volumes' folder of the cluster's own (see <see cref="SimulatorOptions.HostPathRoot"/>), or null.</param>
    public StorageSimulator(IKubernetes client, TimeSpan startupDelay, SimulatorLog log, TimeProvider time, string? hostPathRoot = null)
    {
        this.hostPathRoot = hostPathRoot;
        this.client = client;
        this.startupDelay = startupDelay;
        this.log = log;
        this.time = time;
        queue = new DelayedWorkQueue(time, log, "storage");
        claims = new ObjectCache<V1PersistentVolumeClaim>(OnClaimChanged, OnClaimsListed);
        volumes = new ObjectCache<V1PersistentVolume>(OnVolumeChanged);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var claimWatch = ClaimListWatch.Create(client, claims, log);
        var volumeWatch = new ListWatchLoop<V1PersistentVolume>(
            "persistentvolumes", ListVolumesAsync, WatchVolumes, v => v.Metadata?.ResourceVersion, volumes, log);
        await Task.WhenAll(
            claimWatch.RunAsync(cancellationToken),
            volumeWatch.RunAsync(cancellationToken),
            queue.RunAsync(HandleAsync, Workers, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Only the volumes we provisioned (labelled as simulated): the others are not ours to touch.</summary>
    private async Task<ListResult<V1PersistentVolume>> ListVolumesAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListPersistentVolumeAsync(
            labelSelector: SimulatedSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ListResult<V1PersistentVolume>([.. list.Items], list.Metadata?.ResourceVersion);
    }

    private IAsyncEnumerable<(WatchEventType, V1PersistentVolume)> WatchVolumes(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken) =>
        client.CoreV1.WatchListPersistentVolumeAsync(
            labelSelector: SimulatedSelector, allowWatchBookmarks: true, resourceVersion: resourceVersion,
            timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken);

    private static string SimulatedSelector => $"{NodeCatalog.SimulatedLabel}=true";

    /// <summary>A claim changed: bind it; a claim is gone: its volume goes too.</summary>
    private void OnClaimChanged(V1PersistentVolumeClaim claim, bool gone)
    {
        if (gone)
        {
            queue.Add(VolumePrefix + StoragePlanner.VolumeNameFor(claim));
            return;
        }

        queue.Add(ClaimPrefix + ObjectCache<V1PersistentVolumeClaim>.Key(claim));
    }

    /// <summary>After a full LIST of claims, any volume may have lost its claim (deleted while we were away).</summary>
    private void OnClaimsListed()
    {
        foreach (var volume in volumes.All())
        {
            queue.Add(VolumePrefix + volume.Metadata.Name);
        }
    }

    /// <summary>A volume changed: its claim's binding may go on, and the volume itself may be released.</summary>
    private void OnVolumeChanged(V1PersistentVolume volume, bool gone)
    {
        if (StoragePlanner.ClaimKey(volume) is { } claimKey)
        {
            queue.Add(ClaimPrefix + claimKey);
        }

        if (!gone)
        {
            queue.Add(VolumePrefix + volume.Metadata.Name);
        }
    }

    private Task HandleAsync(string key, CancellationToken cancellationToken) =>
        key.StartsWith(ClaimPrefix, StringComparison.Ordinal)
            ? HandleClaimAsync(key[ClaimPrefix.Length..], cancellationToken)
            : HandleVolumeAsync(key[VolumePrefix.Length..], cancellationToken);

    private async Task HandleClaimAsync(string key, CancellationToken cancellationToken)
    {
        for (var step = 0; step < MaxSteps; step++)
        {
            if (claims.Get(key) is not { } claim)
            {
                return;
            }

            var volume = volumes.Get(StoragePlanner.VolumeNameFor(claim));
            switch (StoragePlanner.PlanClaim(claim, volume))
            {
                case ClaimStep.None:
                    var expansion = StoragePlanner.PlanExpansion(claim, volume, time.GetUtcNow().UtcDateTime, startupDelay);
                    if (expansion.Step == ExpansionStep.None)
                    {
                        if (expansion.WakeAt is { } wakeAt)
                        {
                            queue.Schedule(ClaimPrefix + key, wakeAt);
                        }

                        return;
                    }

                    await ExpandAsync(key, claim, volume!, expansion.Step, cancellationToken).ConfigureAwait(false);
                    break;
                case ClaimStep.NotOurs:
                    log.Warn($"claim {key}: a volume named {StoragePlanner.VolumeNameFor(claim)} exists and is not ours; leaving the claim Pending");
                    return;
                case ClaimStep.CreateVolume:
                    await CreateVolumeAsync(claim, cancellationToken).ConfigureAwait(false);
                    break;
                case ClaimStep.MarkVolumeBound:
                    await WriteVolumeStatusAsync(volume!, StoragePlanner.Bound, cancellationToken).ConfigureAwait(false);
                    break;
                case ClaimStep.SetVolumeName:
                    await WriteAsync(claims, claim,
                        () => client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(
                            StoragePlanner.WithVolumeName(claim), claim.Metadata.Name, claim.Metadata.NamespaceProperty,
                            cancellationToken: cancellationToken),
                        () => ReadClaimAsync(claim, cancellationToken)).ConfigureAwait(false);
                    break;
                case ClaimStep.MarkClaimBound:
                    var outcome = await WriteAsync(claims, claim,
                        () => client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(
                            StoragePlanner.WithBoundStatus(claim, volume!), claim.Metadata.Name, claim.Metadata.NamespaceProperty,
                            cancellationToken: cancellationToken),
                        () => ReadClaimAsync(claim, cancellationToken)).ConfigureAwait(false);
                    if (outcome == WriteOutcome.Written)
                    {
                        log.Info($"claim {key}: Bound to {volume!.Metadata.Name} " +
                                 $"({volume.Spec.Capacity["storage"]}, {string.Join(",", volume.Spec.AccessModes)})");
                    }

                    break;
            }
        }

        // Someone keeps writing the claim or its volume; the next watch event brings us back.
        log.Warn($"claim {key}: binding kept conflicting, waiting for the next change");
    }

    /// <summary>One write of a volume expansion (<see cref="StoragePlanner.PlanExpansion"/>); the caller plans the next.</summary>
    private async Task ExpandAsync(string key, V1PersistentVolumeClaim claim, V1PersistentVolume volume, ExpansionStep step, CancellationToken cancellationToken)
    {
        switch (step)
        {
            case ExpansionStep.ExpandVolume:
                var expanded = StoragePlanner.WithRequestedCapacity(volume, claim);
                if (await WriteAsync(volumes, volume,
                        () => client.CoreV1.ReplacePersistentVolumeAsync(expanded, volume.Metadata.Name, cancellationToken: cancellationToken),
                        () => client.CoreV1.ReadPersistentVolumeAsync(volume.Metadata.Name, cancellationToken: cancellationToken)).ConfigureAwait(false)
                    == WriteOutcome.Written)
                {
                    log.Info($"claim {key}: expanding {volume.Spec.Capacity["storage"]} -> {expanded.Spec.Capacity["storage"]} " +
                             $"(volume {volume.Metadata.Name} grown; the file system follows in {startupDelay.TotalMilliseconds:0} ms)");
                }

                break;
            case ExpansionStep.MarkResizePending:
                await WriteAsync(claims, claim,
                    () => client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(
                        StoragePlanner.WithResizePending(claim, volume, time.GetUtcNow().UtcDateTime), claim.Metadata.Name,
                        claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken),
                    () => ReadClaimAsync(claim, cancellationToken)).ConfigureAwait(false);
                break;
            case ExpansionStep.MarkClaimExpanded:
                if (await WriteAsync(claims, claim,
                        () => client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(
                            StoragePlanner.WithExpandedStatus(claim, volume), claim.Metadata.Name, claim.Metadata.NamespaceProperty,
                            cancellationToken: cancellationToken),
                        () => ReadClaimAsync(claim, cancellationToken)).ConfigureAwait(false)
                    == WriteOutcome.Written)
                {
                    log.Info($"claim {key}: expanded to {volume.Spec.Capacity["storage"]}");
                }

                break;
        }
    }

    private async Task CreateVolumeAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        var volume = StoragePlanner.NewVolume(claim, hostPathRoot ?? StoragePlanner.DefaultHostPathRoot);
        MakeFolder(volume);
        try
        {
            volumes.Store(await client.CoreV1.CreatePersistentVolumeAsync(volume, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            // Created before (the watch has not brought it yet) or by someone else: look at it.
            try
            {
                volumes.Store(await client.CoreV1.ReadPersistentVolumeAsync(volume.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
            catch (Exception notFound) when (ApiErrors.IsNotFound(notFound))
            {
                // Deleted meanwhile: the next step creates it again.
            }
        }
    }

    private Task<WriteOutcome> WriteVolumeStatusAsync(V1PersistentVolume volume, string phase, CancellationToken cancellationToken) =>
        WriteAsync(volumes, volume,
            () => client.CoreV1.ReplacePersistentVolumeStatusAsync(
                StoragePlanner.WithPhase(volume, phase), volume.Metadata.Name, cancellationToken: cancellationToken),
            () => client.CoreV1.ReadPersistentVolumeAsync(volume.Metadata.Name, cancellationToken: cancellationToken));

    private Task<V1PersistentVolumeClaim> ReadClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(
            claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    /// <summary>
    /// One write guarded by the cached object's resourceVersion. The response goes into the cache;
    /// on a conflict the object is re-read into the cache, so the caller plans again.
    /// </summary>
    private static async Task<WriteOutcome> WriteAsync<T>(ObjectCache<T> cache, T current, Func<Task<T>> write, Func<Task<T>> read)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            cache.Store(await write().ConfigureAwait(false));
            return WriteOutcome.Written;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            cache.Remove(current);
            return WriteOutcome.Gone;
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            try
            {
                cache.Store(await read().ConfigureAwait(false));
            }
            catch (Exception notFound) when (ApiErrors.IsNotFound(notFound))
            {
                cache.Remove(current);
            }

            return WriteOutcome.Conflict;
        }
    }

    private async Task HandleVolumeAsync(string name, CancellationToken cancellationToken)
    {
        for (var step = 0; step < MaxSteps; step++)
        {
            // Until the claims are listed, a missing claim proves nothing; the LIST queues every volume again.
            if (volumes.Get(name) is not { } volume || !claims.IsSynced)
            {
                return;
            }

            var claimKey = StoragePlanner.ClaimKey(volume);
            var cachedClaim = claimKey is null ? null : claims.Get(claimKey);
            var planned = StoragePlanner.PlanVolume(volume, cachedClaim);
            if (planned == VolumeStep.None)
            {
                return;
            }

            // Releasing and deleting cannot be undone: make sure the claim is really gone, not just late in our cache.
            if (await CurrentClaimAsync(volume, cancellationToken).ConfigureAwait(false) is { } claim)
            {
                claims.Store(claim);
                if (StoragePlanner.PlanVolume(volume, claim) == VolumeStep.None)
                {
                    return;
                }
            }

            if (planned == VolumeStep.Release)
            {
                await WriteVolumeStatusAsync(volume, StoragePlanner.Released, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await DeleteVolumeAsync(volume, claimKey, cancellationToken).ConfigureAwait(false);
            return;
        }
    }

    /// <summary>The claim named in the volume's claimRef as the apiserver has it now, or null.</summary>
    private async Task<V1PersistentVolumeClaim?> CurrentClaimAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        if (volume.Spec?.ClaimRef is not { Name: { Length: > 0 } name, NamespaceProperty: { Length: > 0 } ns })
        {
            return null;
        }

        try
        {
            return await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    // With a root of the cluster's own, the volume's folder exists before any pod mounts it and
    // is writable by every uid (kubelet's DirectoryOrCreate would make it root's, 0755).
    private void MakeFolder(V1PersistentVolume volume)
    {
        if (hostPathRoot is null || volume.Spec.HostPath?.Path is not { } path)
        {
            return;
        }
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            // rwx for everyone: 0777.
            File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
        }
    }

    private void RemoveFolder(V1PersistentVolume volume)
    {
        if (hostPathRoot is null || volume.Spec.HostPath?.Path is not { } path || !path.StartsWith(hostPathRoot, StringComparison.Ordinal))
        {
            return;
        }
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never made (a volume of an earlier run) or gone already.
        }
    }

    private async Task DeleteVolumeAsync(V1PersistentVolume volume, string? claimKey, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeletePersistentVolumeAsync(
                volume.Metadata.Name,
                new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = volume.Metadata.Uid } },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            RemoveFolder(volume);
            log.Info($"volume {volume.Metadata.Name}: deleted (claim {claimKey ?? "(none)"} is gone, reclaim policy Delete)");
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e) || ApiErrors.IsConflict(e))
        {
            // Gone already.
        }
    }

    public void Dispose() => queue.Dispose();
}
