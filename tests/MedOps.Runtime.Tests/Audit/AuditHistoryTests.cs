using MedOps.Runtime.Audit;

namespace MedOps.Runtime.Tests.Audit;

public sealed class AuditHistoryTests
{
    [Fact]
    public void The_history_of_an_object_matches_its_kind_in_any_case_or_as_a_plural()
    {
        var records = new List<AuditRecord>();
        AuditRecord? previous = null;
        foreach (var entry in new[] { AuditSamples.Entry(1, "a"), AuditSamples.Entry(2, "b"), AuditSamples.Entry(3, "a") })
        {
            previous = AuditChain.Link(entry, previous);
            records.Add(previous);
        }

        Assert.Equal([1L, 3L], AuditHistory.Of(records, "Widget", "a").Select(r => r.Seq));
        Assert.Equal([1L, 3L], AuditHistory.Of(records, "widget", "a").Select(r => r.Seq));
        Assert.Equal([1L, 3L], AuditHistory.Of(records, "WIDGETS", "a").Select(r => r.Seq));
        Assert.Equal([2L], AuditHistory.Of(records, "widget", "b").Select(r => r.Seq));
        Assert.Empty(AuditHistory.Of(records, "Gadget", "a"));
        Assert.Empty(AuditHistory.Of(records, "widget", "A"));
    }

    [Fact]
    public void The_table_lists_time_actor_action_facts_and_seq_in_aligned_columns()
    {
        var first = AuditChain.Link(new AuditEntry(AuditSamples.Start, "alice@hospital.example", "Created", new AuditObject("Widget", "radiology", "a", null, 1),
            new Dictionary<string, string> { ["version"] = "1" }), null);
        var second = AuditChain.Link(new AuditEntry(AuditSamples.Start.AddSeconds(90), "bob", "Approved", new AuditObject("Widget", "radiology", "a", null, 2),
            new Dictionary<string, string> { ["reason"] = "validation report 7", ["digest"] = "sha256:ab" }), first);

        var table = AuditHistory.Format([first, second]);

        Assert.Equal(
            "TIME                  ACTOR                   ACTION    FACTS                                          SEQ\n"
            + "2026-03-01 10:00:00Z  alice@hospital.example  Created   version=1                                      1\n"
            + "2026-03-01 10:01:30Z  bob                     Approved  digest=sha256:ab reason=\"validation report 7\"  2\n",
            table);
    }

    [Fact]
    public void No_records_say_so()
    {
        Assert.Equal("no records\n", AuditHistory.Format([]));
    }
}
