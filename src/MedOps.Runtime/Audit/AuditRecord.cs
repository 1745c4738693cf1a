namespace MedOps.Runtime.Audit;

/// <summary>
/// A stored audit record: an <see cref="AuditEntry"/> linked into a chain. <see cref="Seq"/>
/// starts at 1 per chain, <see cref="Prev"/> is the <see cref="Hash"/> of the record before
/// ("" for seq 1), and <see cref="Hash"/> is the lowercase hex SHA-256 of the canonical JSON of
/// every other field (<see cref="AuditChain.HashOf"/>).
/// </summary>
/// <param name="Seq">Position in the chain, from 1.</param>
/// <param name="Time">When it happened, UTC, to the millisecond.</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Action">What was done.</param>
/// <param name="Object">The object it was done to.</param>
/// <param name="Facts">Details, sorted by key (ordinal).</param>
/// <param name="Prev">The hash of the record before it, or "" for the first record of a chain.</param>
/// <param name="Hash">The hash of this record's other fields.</param>
public sealed record AuditRecord(long Seq, DateTimeOffset Time, string Actor, string Action, AuditObject Object, IReadOnlyDictionary<string, string> Facts, string Prev, string Hash);
