using Microsoft.Extensions.Logging;

namespace MedOps.Runtime.Audit;

/// <summary>
/// The audit sink of a process: stores entries in an <see cref="AuditStore"/>, then logs every
/// record written as one JSON line (message template <c>audit {Record}</c>), with the chain's
/// name and the hash of its head after the append, so that a log collector (a SIEM) holds a
/// second copy to compare the stored chain with.
/// </summary>
/// <param name="store">Where the records are kept.</param>
/// <param name="logger">Where their copies go.</param>
public sealed class AuditTrail(AuditStore store, ILogger logger) : IAuditSink
{
    /// <inheritdoc/>
    public async Task RecordAsync(string chainNamespace, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var records = await store.AppendAsync(chainNamespace, entries, cancellationToken);
        if (records.Count == 0)
        {
            return;
        }
        var head = records[^1].Hash;
        foreach (var record in records)
        {
            logger.LogInformation("audit {Record}", AuditChain.ToLogJson(record, chainNamespace, head));
        }
    }
}
