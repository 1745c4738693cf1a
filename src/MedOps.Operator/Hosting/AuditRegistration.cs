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

    /// <summary>The sink for <paramref name="options"/>: the trail, or nothing when <c>audit.enabled</c> is false.</summary>
    public static IAuditSink Sink(Manager manager, OperatorOptions options)
    {
        if (!options.Audit.Enabled)
        {
            return OperatorAudit.Off;
        }
        var store = new AuditStore(manager.Api, new AuditStoreOptions(options.LeaderElectionNamespace)
        {
            Retention = options.Audit.Retention,
            MaxRecordsPerChain = options.Audit.MaxRecordsPerChain,
            RecordsPerSegment = options.Audit.RecordsPerSegment,
        }, TimeProvider.System);
        return new AuditTrail(store, manager.Loggers.CreateLogger(Category));
    }
}
