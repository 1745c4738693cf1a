using MedOps.Runtime.Audit;

namespace MedOps.Runtime.Tests.Audit;

public sealed class AuditVerifierTests
{
    [Fact]
    public void An_intact_chain_verifies_and_reports_its_head()
    {
        var chain = AuditSamples.Chain(10);

        var result = AuditVerifier.Verify(chain);

        Assert.True(result.Intact);
        Assert.Null(result.FirstBreak);
        Assert.Equal(10, result.Records);
        Assert.Equal(chain[^1].Hash, result.HeadHash);
    }

    [Fact]
    public void An_empty_chain_is_intact_without_a_head_but_not_when_a_head_was_expected()
    {
        var empty = AuditVerifier.Verify([]);
        Assert.True(empty.Intact);
        Assert.Null(empty.HeadHash);

        var expected = AuditVerifier.Verify([], expectedHead: new string('a', 64));
        Assert.Equal(AuditBreakKind.Truncated, expected.FirstBreak!.Kind);
    }

    [Fact]
    public void A_changed_fact_is_an_altered_record_named_by_seq_time_action_and_object()
    {
        var chain = AuditSamples.Chain(10);
        chain[3] = chain[3] with { Facts = new Dictionary<string, string> { ["version"] = "v999", ["digest"] = chain[3].Facts["digest"] } };

        var broken = AuditVerifier.Verify(chain).FirstBreak;

        Assert.NotNull(broken);
        Assert.Equal(AuditBreakKind.Altered, broken.Kind);
        Assert.Equal(4, broken.Seq);
        Assert.Contains("seq 4 (2026-03-01T10:04:00.000Z VersionChanged Widget radiology/chest-xray)", broken.Message, StringComparison.Ordinal);
        Assert.Contains("does not match its hash", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_actor_is_an_altered_record()
    {
        var chain = AuditSamples.Chain(5);
        chain[0] = chain[0] with { Actor = "mallory" };

        var broken = AuditVerifier.Verify(chain).FirstBreak;

        Assert.Equal(AuditBreakKind.Altered, broken!.Kind);
        Assert.Equal(1, broken.Seq);
    }

    [Fact]
    public void A_record_rewritten_with_a_recomputed_hash_no_longer_links_to_the_next()
    {
        var chain = AuditSamples.Chain(6);
        var forged = chain[2] with { Actor = "mallory" };
        chain[2] = forged with { Hash = AuditChain.HashOf(forged) };

        var broken = AuditVerifier.Verify(chain).FirstBreak;

        Assert.Equal(AuditBreakKind.Altered, broken!.Kind);
        Assert.Equal(3, broken.Seq);
        Assert.Contains("record seq 3", broken.Message, StringComparison.Ordinal);
        Assert.Contains("rewritten", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_removed_from_the_middle_is_named_with_the_record_after_the_gap()
    {
        var chain = AuditSamples.Chain(10);
        chain.RemoveAt(4);

        var broken = AuditVerifier.Verify(chain).FirstBreak;

        Assert.Equal(AuditBreakKind.Removed, broken!.Kind);
        Assert.Equal(5, broken.Seq);
        Assert.StartsWith("record 5 was removed: the record after the gap is seq 6 (", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_records_removed_are_named_as_a_range()
    {
        var chain = AuditSamples.Chain(10);
        chain.RemoveRange(3, 3);

        var broken = AuditVerifier.Verify(chain).FirstBreak;

        Assert.Equal(AuditBreakKind.Removed, broken!.Kind);
        Assert.Equal(4, broken.Seq);
        Assert.StartsWith("records 4..6 were removed", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_records_removed_without_a_prune_record_are_removed()
    {
        var chain = AuditSamples.Chain(10);
        chain.RemoveAt(0);

        var broken = AuditVerifier.Verify(chain).FirstBreak;

        Assert.Equal(AuditBreakKind.Removed, broken!.Kind);
        Assert.Equal(1, broken.Seq);
        Assert.StartsWith("record 1 was removed: the oldest record is seq 2", broken.Message, StringComparison.Ordinal);

        chain.RemoveRange(0, 2);
        Assert.StartsWith("records 1..3 were removed", AuditVerifier.Verify(chain).FirstBreak!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Swapped_records_are_reordered()
    {
        var chain = AuditSamples.Chain(6);
        (chain[2], chain[3]) = (chain[3], chain[2]);

        var broken = AuditVerifier.Verify(chain).FirstBreak;

        Assert.Equal(AuditBreakKind.Reordered, broken!.Kind);
        Assert.Equal(4, broken.Seq);
        Assert.Contains("out of order", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_stored_twice_is_reordered()
    {
        var chain = AuditSamples.Chain(4);
        chain.Insert(3, chain[1]);

        var broken = AuditVerifier.Verify(chain).FirstBreak;

        Assert.Equal(AuditBreakKind.Reordered, broken!.Kind);
        Assert.Equal(2, broken.Seq);
    }

    [Fact]
    public void A_cut_tail_is_found_only_with_the_head_from_the_logs()
    {
        var chain = AuditSamples.Chain(10);
        var head = chain[^1].Hash;
        var cut = chain.Take(7).ToList();

        Assert.True(AuditVerifier.Verify(cut).Intact);
        var broken = AuditVerifier.Verify(cut, head).FirstBreak;

        Assert.Equal(AuditBreakKind.Truncated, broken!.Kind);
        Assert.Equal(7, broken.Seq);
        Assert.Contains("the chain ends at seq 7", broken.Message, StringComparison.Ordinal);
        Assert.Contains(head, broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_that_grew_past_the_expected_head_is_intact()
    {
        var chain = AuditSamples.Chain(10);

        Assert.True(AuditVerifier.Verify(chain, chain[6].Hash).Intact);
        Assert.True(AuditVerifier.Verify(chain, chain[^1].Hash).Intact);
    }

    [Fact]
    public void A_pruned_chain_is_accepted_when_an_audit_pruned_record_accounts_for_the_gap()
    {
        var chain = AuditSamples.Chain(10);
        chain.Add(AuditChain.Link(Pruned(4, chain[3].Hash), chain[^1]));
        chain.Add(AuditChain.Link(AuditSamples.Entry(12), chain[^1]));
        var retained = chain.Skip(4).ToList();

        var result = AuditVerifier.Verify(retained, chain[^1].Hash);

        Assert.True(result.Intact, result.FirstBreak?.Message);
        Assert.Equal(8, result.Records);
    }

    [Fact]
    public void A_prune_record_that_names_another_hash_or_seq_does_not_account_for_the_gap()
    {
        var chain = AuditSamples.Chain(10);
        chain.Add(AuditChain.Link(Pruned(4, chain[2].Hash), chain[^1]));
        chain.Add(AuditChain.Link(Pruned(3, chain[3].Hash), chain[^1]));

        var broken = AuditVerifier.Verify(chain.Skip(4).ToList()).FirstBreak;

        Assert.Equal(AuditBreakKind.Removed, broken!.Kind);
        Assert.StartsWith("records 1..4 were removed", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_problem_in_stored_order_wins()
    {
        var chain = AuditSamples.Chain(10);
        chain[7] = chain[7] with { Actor = "mallory" };
        chain.RemoveAt(2);

        var broken = AuditVerifier.Verify(chain, "0000").FirstBreak;

        Assert.Equal(AuditBreakKind.Removed, broken!.Kind);
        Assert.Equal(3, broken.Seq);
    }

    private static AuditEntry Pruned(long through, string lastHash) => new(
        AuditSamples.Start.AddDays(1), "medops-operator", AuditChain.PrunedAction, new AuditObject("AuditChain", null, "radiology", null, null),
        new Dictionary<string, string> { [AuditChain.ThroughSeqFact] = through.ToString(System.Globalization.CultureInfo.InvariantCulture), [AuditChain.LastHashFact] = lastHash });
}
