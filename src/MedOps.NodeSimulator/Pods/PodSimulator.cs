using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using MedOps.NodeSimulator.Kube;
using MedOps.NodeSimulator.Nodes;

namespace MedOps.NodeSimulator.Pods;

/// <summary>
/// Plays the kubelet of every simulated node: watches all pods, keeps those bound to our nodes,
/// and on one shared timer writes the status <see cref="PodLifecyclePlanner"/> asks for, or
/// force-deletes terminating pods (there is no kubelet to finish graceful deletion).
/// </summary>
internal sealed class PodSimulator : IWatchSink<V1Pod>, IDisposable
{
    private const int Workers = 8;
    private const int ConflictRetries = 5;

    private readonly IKubernetes client;
    private readonly IReadOnlyDictionary<string, SimulatedNode> nodes;
    private readonly TimeSpan startupDelay;
    private readonly SimulatorLog log;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, V1Pod> pods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> warnedUids = new(StringComparer.Ordinal);
    private readonly PodIpAllocator ips = new();
    private readonly DelayedWorkQueue queue;

    public PodSimulator(IKubernetes client, IReadOnlyList<SimulatedNode> nodes, TimeSpan startupDelay, SimulatorLog log, TimeProvider time)
    {
        this.client = client;
        this.nodes = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        this.startupDelay = startupDelay;
        this.log = log;
        this.time = time;
        queue = new DelayedWorkQueue(time, log, "pod");
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watch = new ListWatchLoop<V1Pod>("pods", ListAsync, Watch, p => p.Metadata?.ResourceVersion, this, log);
        await Task.WhenAll(
            watch.RunAsync(cancellationToken),
            queue.RunAsync(HandleAsync, Workers, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<ListResult<V1Pod>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<V1Pod>();
        string? continueToken = null;
        string? resourceVersion;
        do
        {
            var page = await client.CoreV1.ListPodForAllNamespacesAsync(
                continueParameter: continueToken, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new ListResult<V1Pod>(items, resourceVersion);
    }

    private IAsyncEnumerable<(WatchEventType, V1Pod)> Watch(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken) =>
        client.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
            onError: onError, cancellationToken: cancellationToken);

    void IWatchSink<V1Pod>.Replace(IReadOnlyList<V1Pod> items)
    {
        var ours = items.Where(IsOnOurNode).ToDictionary(Key, StringComparer.Ordinal);
        foreach (var key in pods.Keys.Where(k => !ours.ContainsKey(k)).ToList())
        {
            Forget(key);
        }

        foreach (var pod in ours.Values)
        {
            Remember(pod);
        }
    }

    void IWatchSink<V1Pod>.Apply(WatchEventType type, V1Pod pod)
    {
        if (type == WatchEventType.Deleted || !IsOnOurNode(pod))
        {
            Forget(Key(pod), pod.Metadata.Uid);
            return;
        }

        Remember(pod);
    }

    private bool IsOnOurNode(V1Pod pod) => pod.Spec?.NodeName is { } node && nodes.ContainsKey(node);

    private static string Key(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";

    private void Remember(V1Pod pod)
    {
        var key = Key(pod);
        var stored = pods.AddOrUpdate(key, pod, (_, existing) => IsOlder(pod, existing) ? existing : pod);
        if (!ReferenceEquals(stored, pod))
        {
            return;
        }

        if (pod.Status?.PodIP is { } ip && pod.Spec.HostNetwork != true)
        {
            ips.Reserve(pod.Metadata.Uid, ip);
        }

        queue.Add(key);
    }

    /// <summary>
    /// Drops the pod under <paramref name="key"/>; with <paramref name="uid"/>, only if it is that
    /// pod (a late event about a deleted pod must not drop its successor of the same name).
    /// </summary>
    private void Forget(string key, string? uid = null)
    {
        if (!pods.TryGetValue(key, out var pod) || (uid is not null && pod.Metadata.Uid != uid))
        {
            return;
        }

        if (pods.TryRemove(new KeyValuePair<string, V1Pod>(key, pod)))
        {
            ips.Release(pod.Metadata.Uid);
            warnedUids.TryRemove(pod.Metadata.Uid, out _);
        }
    }

    /// <summary>
    /// True when <paramref name="candidate"/> is an older version of the same pod than what we hold:
    /// our own write's response may reach the cache before the watch delivers earlier events.
    /// </summary>
    private static bool IsOlder(V1Pod candidate, V1Pod existing) =>
        candidate.Metadata.Uid == existing.Metadata.Uid
        && ulong.TryParse(candidate.Metadata.ResourceVersion, out var a)
        && ulong.TryParse(existing.Metadata.ResourceVersion, out var b)
        && a < b;

    private async Task HandleAsync(string key, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt <= ConflictRetries; attempt++)
        {
            if (!pods.TryGetValue(key, out var pod) || !nodes.TryGetValue(pod.Spec.NodeName, out var node))
            {
                return;
            }

            WarnAboutConventionOnce(key, pod);
            var podIp = pod.Status?.PodIP ?? ips.GetOrAllocate(pod.Metadata.Uid);
            var decision = PodLifecyclePlanner.Plan(
                pod, time.GetUtcNow().UtcDateTime, startupDelay, new PodPlacement(node.Name, node.InternalIp, podIp));

            switch (decision.Action)
            {
                case PodAction.ForceDelete:
                    await ForceDeleteAsync(key, pod, cancellationToken).ConfigureAwait(false);
                    return;
                case PodAction.WriteStatus:
                    var outcome = await WriteStatusAsync(key, pod, decision, cancellationToken).ConfigureAwait(false);
                    if (outcome == WriteOutcome.Conflict)
                    {
                        continue; // the cache now holds the fresh pod: plan again
                    }

                    if (outcome == WriteOutcome.Gone)
                    {
                        return;
                    }

                    break;
            }

            if (decision.WakeAt is { } wakeAt)
            {
                queue.Schedule(key, wakeAt);
            }

            return;
        }

        // Someone keeps writing the pod; the next watch event brings us back.
        log.Warn($"pod {key}: status kept conflicting, waiting for the next change");
    }

    private async Task<WriteOutcome> WriteStatusAsync(string key, V1Pod pod, PodDecision decision, CancellationToken cancellationToken)
    {
        var body = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = pod.Metadata, // carries resourceVersion: a stale write gets 409 instead of clobbering
            Spec = pod.Spec,
            Status = decision.Status,
        };
        try
        {
            var updated = await client.CoreV1.ReplaceNamespacedPodStatusAsync(
                body, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            pods.AddOrUpdate(key, updated, (_, existing) => IsOlder(updated, existing) ? existing : updated);
            if (decision.Summary is { } summary)
            {
                log.Info($"pod {key}: {summary}");
            }

            return WriteOutcome.Written;
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            Forget(key);
            return WriteOutcome.Gone;
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            await RefreshAsync(key, pod, cancellationToken).ConfigureAwait(false);
            return WriteOutcome.Conflict;
        }
    }

    private async Task RefreshAsync(string key, V1Pod stale, CancellationToken cancellationToken)
    {
        try
        {
            var fresh = await client.CoreV1.ReadNamespacedPodAsync(
                stale.Metadata.Name, stale.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (IsOnOurNode(fresh))
            {
                pods[key] = fresh;
            }
            else
            {
                Forget(key);
            }
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            Forget(key);
        }
    }

    private async Task ForceDeleteAsync(string key, V1Pod pod, CancellationToken cancellationToken)
    {
        if (pod.Metadata.DeletionGracePeriodSeconds == 0)
        {
            return; // already force-deleted; only finalizers keep it now, and those are not ours
        }

        try
        {
            // The UID precondition protects a new pod that reuses the name (training workers do).
            await client.CoreV1.DeleteNamespacedPodAsync(
                pod.Metadata.Name,
                pod.Metadata.NamespaceProperty,
                new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } },
                gracePeriodSeconds: 0,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            log.Info($"pod {key}: Terminating -> deleted (grace period 0)");
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e) || ApiErrors.IsConflict(e))
        {
            // Gone already, or the name now belongs to a new pod: nothing to do.
        }
    }

    private void WarnAboutConventionOnce(string key, V1Pod pod)
    {
        if (!warnedUids.TryAdd(pod.Metadata.Uid, 0))
        {
            return;
        }

        var problems = (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? [])
            .SelectMany(c => ContainerBehaviour.For(c, pod.Metadata.Labels).Problems.Select(p => $"{c.Name}: {p}"))
            .ToList();
        if (problems.Count > 0)
        {
            log.Warn($"pod {key}: ignored simulation settings ({string.Join("; ", problems)})");
        }
    }

    public void Dispose() => queue.Dispose();
}
