namespace MedOps.Runtime.Audit;

/// <summary>The object an audit record is about.</summary>
/// <param name="Kind">Its kind, for example <c>ConfigMap</c>.</param>
/// <param name="Namespace">Its namespace; null for a cluster-scoped object.</param>
/// <param name="Name">Its name.</param>
/// <param name="Uid">Its UID, when known (not yet for a create at admission).</param>
/// <param name="Generation">Its <c>metadata.generation</c>, when known.</param>
public sealed record AuditObject(string Kind, string? Namespace, string Name, string? Uid, long? Generation);
