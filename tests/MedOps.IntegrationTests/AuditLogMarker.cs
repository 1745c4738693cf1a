using System.Net;
using k8s;
using MedOps.Testing;

namespace MedOps.IntegrationTests;

/// <summary>
/// Waits for the apiserver's audit log to catch up instead of sleeping. hack/cluster-up.sh runs
/// the apiserver with <c>--audit-log-mode=batch --audit-log-batch-max-wait=1s</c>: an entry
/// reaches the file up to a second (more on a loaded machine) after its request completed, and
/// entries are written in the order their requests completed. So once a marker request made now
/// is in the file, so is every request that completed before it was sent.
/// </summary>
internal static class AuditLogMarker
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Sends a marker request (a GET of a ConfigMap that does not exist) and waits until the audit log shows it.</summary>
    public static async Task WaitForFlushAsync(LocalCluster cluster)
    {
        var marker = $"audit-marker-{Guid.NewGuid():N}";
        var from = File.Exists(cluster.AuditLogPath) ? new FileInfo(cluster.AuditLogPath).Length : 0;
        try
        {
            await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(marker, "default");
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Expected: the marker names nothing, and the request is audited all the same.
        }
        await Eventually.WaitUntilAsync(() => Task.FromResult(Mentions(cluster.AuditLogPath, from, marker)), Timeout,
            $"the audit log to show the marker request {marker}");
    }

    // Reads only what was appended since the marker was sent (the log only grows: no rotation is configured).
    private static bool Mentions(string path, long from, string marker)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length >= from)
        {
            stream.Seek(from, SeekOrigin.Begin);
        }
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
