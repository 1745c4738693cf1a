using System.Globalization;

namespace MedOps.Runtime.Audit;

/// <summary>What kind of damage a verification found.</summary>
public enum AuditBreakKind
{
    /// <summary>Records are missing: a gap in the sequence, or the oldest ones gone without an <c>AuditPruned</c> record.</summary>
    Removed,

    /// <summary>A record's content does not match its hash, or a record was rewritten with a new hash.</summary>
    Altered,

    /// <summary>A record appears out of sequence (moved or duplicated).</summary>
    Reordered,

    /// <summary>The head hash known from elsewhere (the logs) is not in the chain: records at the end were removed.</summary>
    Truncated,
}

/// <summary>The first problem of a chain.</summary>
/// <param name="Seq">The record where it shows: the altered, reordered or first missing record; for <see cref="AuditBreakKind.Truncated"/> the last record retained.</param>
/// <param name="Kind">What kind of problem.</param>
/// <param name="Message">A sentence naming the record (seq, time, action, object) and what is wrong.</param>
public sealed record AuditBreak(long Seq, AuditBreakKind Kind, string Message);

/// <summary>The outcome of <see cref="AuditVerifier.Verify"/>.</summary>
/// <param name="Records">How many records were checked.</param>
/// <param name="HeadHash">The hash of the last record, null for an empty chain.</param>
/// <param name="FirstBreak">The first problem found, null when there is none.</param>
public sealed record AuditVerification(long Records, string? HeadHash, AuditBreak? FirstBreak)
{
    /// <summary>True when no problem was found.</summary>
    public bool Intact => FirstBreak is null;
}

/// <summary>Checks a chain of records as stored: hashes, sequence, links, pruning and the expected head.</summary>
public static class AuditVerifier
{
    /// <summary>
    /// Verifies <paramref name="records"/> in stored order; the first problem wins. With
    /// <paramref name="expectedHead"/> (the last head hash seen elsewhere, in the logs) a chain
    /// that no longer contains that hash was cut at its end; records after it are fine (the
    /// chain grew since).
    /// </summary>
    public static AuditVerification Verify(IReadOnlyList<AuditRecord> records, string? expectedHead = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var head = records.Count == 0 ? null : records[^1].Hash;
        var problem = FirstProblem(records, string.IsNullOrEmpty(expectedHead) ? null : expectedHead);
        return new AuditVerification(records.Count, head, problem);
    }

    /// <summary>"seq 42 (2026-03-01T10:00:00.000Z ModelVersionChanged MedicalModel radiology/chest-xray)".</summary>
    public static string Describe(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var name = record.Object.Namespace is { Length: > 0 } ns ? $"{ns}/{record.Object.Name}" : record.Object.Name;
        return $"seq {record.Seq} ({AuditChain.FormatTime(record.Time)} {record.Action} {record.Object.Kind} {name})";
    }

    private static AuditBreak? FirstProblem(IReadOnlyList<AuditRecord> records, string? expectedHead)
    {
        if (records.Count == 0)
        {
            return expectedHead is null
                ? null
                : new AuditBreak(0, AuditBreakKind.Truncated, $"the chain is empty; the head hash {expectedHead} from the logs is missing: every record was removed");
        }

        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (AuditChain.HashOf(record) != record.Hash)
            {
                return new AuditBreak(record.Seq, AuditBreakKind.Altered,
                    $"record {Describe(record)} was altered: its content does not match its hash {Short(record.Hash)}");
            }
            if (i == 0)
            {
                if (FirstRecordProblem(records, record) is { } first)
                {
                    return first;
                }
                continue;
            }

            var previous = records[i - 1];
            if (record.Seq > previous.Seq + 1 && records.Skip(i + 1).FirstOrDefault(r => r.Seq > previous.Seq && r.Seq < record.Seq) is { } moved)
            {
                return new AuditBreak(record.Seq, AuditBreakKind.Reordered,
                    $"record {Describe(record)} is out of order: it is stored after seq {previous.Seq} and before seq {moved.Seq}");
            }
            if (record.Seq > previous.Seq + 1)
            {
                var missing = record.Seq == previous.Seq + 2
                    ? $"record {previous.Seq + 1} was removed"
                    : $"records {previous.Seq + 1}..{record.Seq - 1} were removed";
                return new AuditBreak(previous.Seq + 1, AuditBreakKind.Removed,
                    $"{missing}: the record after the gap is {Describe(record)}, the one before it seq {previous.Seq}");
            }
            if (record.Seq <= previous.Seq)
            {
                return new AuditBreak(record.Seq, AuditBreakKind.Reordered,
                    $"record {Describe(record)} is out of order: it is stored after seq {previous.Seq}");
            }
            if (record.Prev != previous.Hash)
            {
                // Both hashes are consistent with their records, yet they do not link: one of the
                // two was replaced by a record whose hash was recomputed. The earlier one is named,
                // since what follows it still remembers its original hash.
                return new AuditBreak(previous.Seq, AuditBreakKind.Altered,
                    $"record {Describe(previous)} was rewritten: the next record, seq {record.Seq}, links to hash {Short(record.Prev)}, not {Short(previous.Hash)}");
            }
        }

        if (expectedHead is not null && !records.Any(r => r.Hash == expectedHead))
        {
            var last = records[^1];
            return new AuditBreak(last.Seq, AuditBreakKind.Truncated,
                $"the chain ends at {Describe(last)}; the head hash {expectedHead} from the logs is missing: records after it were removed");
        }
        return null;
    }

    private static AuditBreak? FirstRecordProblem(IReadOnlyList<AuditRecord> records, AuditRecord first)
    {
        if (first.Seq == 1)
        {
            return first.Prev.Length == 0
                ? null
                : new AuditBreak(1, AuditBreakKind.Altered, $"record {Describe(first)} was altered: the first record of a chain links to no record, yet its prev is {Short(first.Prev)}");
        }
        if (first.Seq < 1)
        {
            return new AuditBreak(first.Seq, AuditBreakKind.Altered, $"record {Describe(first)} was altered: a seq starts at 1");
        }

        // The oldest records may have been pruned, if a record of the chain says so and names
        // the hash that the oldest retained record links to.
        var through = (first.Seq - 1).ToString(CultureInfo.InvariantCulture);
        var accounted = records.Any(r =>
            r.Action == AuditChain.PrunedAction
            && r.Facts.TryGetValue(AuditChain.ThroughSeqFact, out var seq) && seq == through
            && r.Facts.TryGetValue(AuditChain.LastHashFact, out var hash) && hash == first.Prev);
        if (accounted)
        {
            return null;
        }
        var missing = first.Seq == 2 ? "record 1 was removed" : $"records 1..{first.Seq - 1} were removed";
        return new AuditBreak(1, AuditBreakKind.Removed,
            $"{missing}: the oldest record is {Describe(first)} and no {AuditChain.PrunedAction} record accounts for them");
    }

    private static string Short(string hash) => hash.Length > 16 ? hash[..16] + "..." : hash.Length == 0 ? "\"\"" : hash;
}
