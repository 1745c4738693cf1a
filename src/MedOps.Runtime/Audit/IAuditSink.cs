namespace MedOps.Runtime.Audit;

/// <summary>Where audit entries go: one chain per audited namespace.</summary>
public interface IAuditSink
{
    /// <summary>
    /// Appends <paramref name="entries"/>, in order, to the chain of <paramref name="chainNamespace"/>
    /// and returns once they are stored. Throws when they could not be stored.
    /// </summary>
    Task RecordAsync(string chainNamespace, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken);
}
