using k8s;
using k8s.Models;
using MedOps.NodeSimulator.Kube;

namespace MedOps.NodeSimulator.Nodes;

/// <summary>
/// Registers the simulated nodes and keeps them Ready and schedulable, as their kubelets would:
/// creates missing Node objects, posts status with a fresh heartbeat, removes the not-ready /
/// unreachable taints, and repairs labels and taints that drifted. Runs again every heartbeat,
/// so a deleted node comes back.
/// </summary>
internal sealed class NodeKeeper(IKubernetes client, IReadOnlyList<SimulatedNode> nodes, SimulatorLog log, TimeProvider time)
{
    private const int ConflictRetries = 5;

    /// <summary>
    /// Deletes nodes labelled as simulated that this run does not play (left by a run with more
    /// nodes): nothing would ever run the pods scheduled onto them.
    /// </summary>
    public async Task RemoveSurplusNodesAsync(CancellationToken cancellationToken)
    {
        var ours = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var labelled = await client.CoreV1.ListNodeAsync(
            labelSelector: $"{NodeCatalog.SimulatedLabel}=true", cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var node in labelled.Items.Where(n => !ours.Contains(n.Metadata.Name)))
        {
            try
            {
                await client.CoreV1.DeleteNodeAsync(node.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                log.Info($"node {node.Metadata.Name}: deleted (simulated by an earlier run, not by this one)");
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
            }
        }
    }

    /// <summary>Brings every node to its desired state; returns false if any failed (each failure is logged).</summary>
    public async Task<bool> EnsureAllAsync(CancellationToken cancellationToken)
    {
        var allGood = true;
        foreach (var node in nodes)
        {
            try
            {
                await EnsureAsync(node, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                allGood = false;
                log.Warn($"node {node.Name}: {ApiErrors.Describe(e)}");
            }
        }

        return allGood;
    }

    /// <summary>Re-posts status every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunHeartbeatsAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await EnsureAllAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task EnsureAsync(SimulatedNode node, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(node.Name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            current = await CreateAsync(node, cancellationToken).ConfigureAwait(false);
        }

        var wasReady = NodeObjects.IsReady(current);
        var patch = NodeObjects.StatusPatch(node, current, time.GetUtcNow().UtcDateTime);
        current = await client.CoreV1.PatchNodeStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), node.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!wasReady)
        {
            log.Info($"node {node.Name}: Ready ({Describe(node)})");
        }

        await FixSpecAsync(node, current, cancellationToken).ConfigureAwait(false);
    }

    private async Task<V1Node> CreateAsync(SimulatedNode node, CancellationToken cancellationToken)
    {
        try
        {
            var created = await client.CoreV1.CreateNodeAsync(NodeObjects.NewNode(node), cancellationToken: cancellationToken).ConfigureAwait(false);
            log.Info($"node {node.Name}: registered");
            return created;
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            return await ReadAsync(node.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"node {node.Name} exists and does not", e);
        }
    }

    /// <summary>Labels, and taints without the lifecycle taints the apiserver puts on new nodes.</summary>
    private async Task FixSpecAsync(SimulatedNode node, V1Node current, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var labels = NodeObjects.MissingLabels(node, current.Metadata.Labels);
            var taints = NodeObjects.DesiredTaints(node, current.Spec?.Taints);
            if (labels is null && taints is null)
            {
                return;
            }

            var patch = NodeObjects.SpecPatch(current.Metadata.ResourceVersion, labels, taints);
            try
            {
                await client.CoreV1.PatchNodeAsync(
                    new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), node.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                var removed = (current.Spec?.Taints ?? []).Where(t => NodeObjects.LifecycleTaintKeys.Contains(t.Key)).Select(t => t.Key).ToList();
                if (removed.Count > 0)
                {
                    log.Info($"node {node.Name}: removed taint {string.Join(", ", removed)}");
                }

                return;
            }
            catch (Exception e) when (ApiErrors.IsConflict(e) && attempt < ConflictRetries)
            {
                current = await ReadAsync(node.Name, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"node {node.Name} disappeared", e);
            }
        }
    }

    private async Task<V1Node?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNodeAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    private static string Describe(SimulatedNode node) =>
        string.Join(", ", node.Capacity.Where(c => c.Key != "ephemeral-storage").Select(c => $"{c.Key}={c.Value}"))
        + $", {node.InternalIp}";
}
