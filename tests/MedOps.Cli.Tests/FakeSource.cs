using MedOps.Runtime.Audit;

namespace MedOps.Cli.Tests;

internal sealed class FakeSource(Func<string, IReadOnlyList<AuditRecord>> read) : IAuditSource
{
    public List<string> Reads { get; } = [];

    public static FakeSource Of(IReadOnlyList<AuditRecord> records) => new(_ => records);

    public Task<IReadOnlyList<AuditRecord>> ReadAsync(string chainNamespace, CancellationToken cancellationToken)
    {
        Reads.Add(chainNamespace);
        return Task.FromResult(read(chainNamespace));
    }

    public static List<AuditRecord> Chain(int count)
    {
        var records = new List<AuditRecord>();
        AuditRecord? previous = null;
        for (var i = 1; i <= count; i++)
        {
            previous = AuditChain.Link(new AuditEntry(
                new DateTimeOffset(2026, 3, 1, 10, i, 0, TimeSpan.Zero),
                "alice@hospital.example", i % 2 == 0 ? "ModelVersionChanged" : "ApprovalGranted",
                new AuditObject("MedicalModel", "radiology", i % 3 == 0 ? "other" : "chest-xray", "u-1", i),
                new Dictionary<string, string> { ["version"] = $"{i}" }), previous);
            records.Add(previous);
        }
        return records;
    }
}
