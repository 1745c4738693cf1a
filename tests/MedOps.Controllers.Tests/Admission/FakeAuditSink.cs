using MedOps.Runtime.Audit;

namespace MedOps.Controllers.Tests.Admission;

/// <summary>An audit sink that keeps every call, and fails them all when told to.</summary>
internal sealed class FakeAuditSink : IAuditSink
{
    /// <summary>Every call, in order: the chain's namespace and the entries.</summary>
    public List<(string Chain, IReadOnlyList<AuditEntry> Entries)> Calls { get; } = [];

    /// <summary>When set, every call throws it (the store cannot be written).</summary>
    public Exception? Failure { get; set; }

    /// <summary>Every entry of every call.</summary>
    public IEnumerable<AuditEntry> Entries => Calls.SelectMany(c => c.Entries);

    public Task RecordAsync(string chainNamespace, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }
        Calls.Add((chainNamespace, entries));
        return Task.CompletedTask;
    }
}
