using MedOps.Runtime.Audit;

namespace MedOps.Runtime.Tests.Audit;

/// <summary>Entries and chains for the audit tests.</summary>
internal static class AuditSamples
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public static AuditEntry Entry(int i, string name = "chest-xray", DateTimeOffset? time = null) => new(
        time ?? Start.AddMinutes(i),
        i % 2 == 0 ? "alice@hospital.example" : "system:serviceaccount:ci:deployer",
        "VersionChanged",
        new AuditObject("Widget", "radiology", name, "7d4c2a9e-0000-4000-8000-00000000000" + (i % 10), i),
        new Dictionary<string, string> { ["version"] = $"v{i}", ["digest"] = $"sha256:{i:x8}" });

    public static List<AuditRecord> Chain(int count)
    {
        var records = new List<AuditRecord>();
        AuditRecord? previous = null;
        for (var i = 1; i <= count; i++)
        {
            previous = AuditChain.Link(Entry(i), previous);
            records.Add(previous);
        }
        return records;
    }
}
