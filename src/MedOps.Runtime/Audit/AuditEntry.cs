namespace MedOps.Runtime.Audit;

/// <summary>
/// What a writer appends to an audit chain: who did what to which object, and when. It has no
/// sequence number and no hashes yet; <see cref="AuditChain.Link"/> gives it both.
/// </summary>
/// <param name="Time">When it happened (stored in UTC, to the millisecond).</param>
/// <param name="Actor">Who did it: an authenticated user name, or the component's own name.</param>
/// <param name="Action">What was done, one word in PascalCase.</param>
/// <param name="Object">The object it was done to.</param>
/// <param name="Facts">Details as key/value pairs (their order does not matter); null for none.</param>
public sealed record AuditEntry(DateTimeOffset Time, string Actor, string Action, AuditObject Object, IReadOnlyDictionary<string, string>? Facts = null);
