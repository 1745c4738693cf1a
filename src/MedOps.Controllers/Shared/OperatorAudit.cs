using k8s;
using k8s.Models;
using MedOps.Runtime.Audit;

namespace MedOps.Controllers;

/// <summary>
/// The audit records of what the operator does on its own (not on a user's request): the actor is
/// the operator, the object one of its resources. Users' actions are recorded at admission.
/// </summary>
public static class OperatorAudit
{
    /// <summary>The actor of the operator's own records.</summary>
    public const string Actor = "medops-operator";

    /// <summary>A sink that records nothing (the audit trail is off, or in unit tests).</summary>
    public static IAuditSink Off { get; } = new NoAudit();

    /// <summary>Records that the operator did <paramref name="action"/> to <paramref name="obj"/>.</summary>
    public static Task RecordAsync(this IAuditSink sink, IKubernetesObject<V1ObjectMeta> obj, string action, IReadOnlyDictionary<string, string> facts,
        DateTimeOffset time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(obj);
        var meta = obj.Metadata;
        var entry = new AuditEntry(time, Actor, action, new AuditObject(obj.Kind, meta.NamespaceProperty, meta.Name, meta.Uid, meta.Generation), facts);
        return sink.RecordAsync(meta.NamespaceProperty ?? "", [entry], cancellationToken);
    }

    private sealed class NoAudit : IAuditSink
    {
        public Task RecordAsync(string chainNamespace, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
