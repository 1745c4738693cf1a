using k8s;
using k8s.Models;

namespace MedOps.NodeSimulator.Kube;

/// <summary>
/// LIST+WATCH of every PersistentVolumeClaim in the cluster, in pages of 500. The storage
/// simulator binds and expands claims from it; the CDI simulator creates the claims of
/// DataVolumes and waits on them (each keeps a cache of its own).
/// </summary>
internal static class ClaimListWatch
{
    public static ListWatchLoop<V1PersistentVolumeClaim> Create(
        IKubernetes client, IWatchSink<V1PersistentVolumeClaim> sink, SimulatorLog log) => new(
        "persistentvolumeclaims",
        cancellationToken => ListAsync(client, cancellationToken),
        (resourceVersion, timeoutSeconds, onError, cancellationToken) =>
            client.CoreV1.WatchListPersistentVolumeClaimForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
                onError: onError, cancellationToken: cancellationToken),
        c => c.Metadata?.ResourceVersion,
        sink,
        log);

    private static async Task<ListResult<V1PersistentVolumeClaim>> ListAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var items = new List<V1PersistentVolumeClaim>();
        string? continueToken = null;
        string? resourceVersion;
        do
        {
            var page = await client.CoreV1.ListPersistentVolumeClaimForAllNamespacesAsync(
                continueParameter: continueToken, limit: 500, cancellationToken: cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new ListResult<V1PersistentVolumeClaim>(items, resourceVersion);
    }
}
