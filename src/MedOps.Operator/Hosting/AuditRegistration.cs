using System.Runtime.CompilerServices;
using MedOps.Controllers;
using MedOps.Operator.Configuration;
using MedOps.Runtime;
using MedOps.Runtime.Audit;

namespace MedOps.Operator.Hosting;

/// <summary>The audit trail of the operator: its ConfigMaps in the operator's own namespace, and its JSON log lines.</summary>
internal static class AuditRegistration
{
    /// <summary>The logger category of the audit lines (a SIEM can select them by it).</summary>
    public const string Category = "MedOps.Audit";

    // One trail per manager: the webhook's and the controllers' appends then share one store,
    // which orders them within the process instead of meeting as 409 conflicts at the API server.
    private static readonly ConditionalWeakTable<Manager, IAuditSink> Trails = [];

    /// <summary>The sink for <paramref name="options"/>: the trail, or nothing when <c>audit.enabled</c> is false.</summary>
    public static IAuditSink Sink(Manager manager, OperatorOptions options)
    {
        if (!options.Audit.Enabled)
        {
            return OperatorAudit.Off;
        }
        return Trails.GetValue(manager, m => Create(m, options));
    }

    private static AuditTrail Create(Manager manager, OperatorOptions options)
    {
        var store = new AuditStore(manager.Api, new AuditStoreOptions(options.LeaderElectionNamespace)
        {
            Retention = options.Audit.Retention,
            MaxRecordsPerChain = options.Audit.MaxRecordsPerChain,
            RecordsPerSegment = options.Audit.RecordsPerSegment,
        }, TimeProvider.System);
        return new AuditTrail(store, manager.Loggers.CreateLogger(Category));
    }
}
