using MedOps.Runtime.Audit;

namespace MedOps.Cli;

/// <summary>The audit commands, over any <see cref="IAuditSource"/>.</summary>
internal static class AuditCommands
{
    /// <summary>
    /// Reads and verifies the chain. Prints "audit trail of namespace X: N records, intact, head H"
    /// and returns 0, or the first break and returns 1.
    /// </summary>
    public static async Task<int> VerifyAsync(CliCommand.Verify command, IAuditSource source, TextWriter output, CancellationToken cancellationToken)
    {
        var ns = command.Cluster.Namespace;
        var records = await source.ReadAsync(ns, cancellationToken);
        var result = AuditVerifier.Verify(records, command.Head);
        await output.WriteLineAsync(Summary(ns, result));
        if (result.Intact && command.Head is not null)
        {
            var seq = records.First(r => r.Hash == command.Head).Seq;
            var since = records[^1].Seq - seq;
            await output.WriteLineAsync($"the head from the logs is seq {seq}{since switch { 0 => "", 1 => "; 1 record was appended since", _ => $"; {since} records were appended since" }}");
        }
        else if (records.Count == 0)
        {
            await output.WriteLineAsync($"no records are stored in namespace {command.Cluster.AuditNamespace}: check that --audit-namespace is the operator's namespace; "
                + "only --head tells a trail that was deleted whole");
        }
        return result.Intact ? ExitCodes.Success : ExitCodes.Broken;
    }

    /// <summary>The one-line verdict.</summary>
    public static string Summary(string ns, AuditVerification result)
    {
        var count = result.Records == 1 ? "1 record" : $"{result.Records} records";
        return result.FirstBreak is { } broken
            ? $"audit trail of namespace {ns}: {count}, NOT intact: {broken.Kind.ToString().ToLowerInvariant()} at seq {broken.Seq}: {broken.Message}"
            : $"audit trail of namespace {ns}: {count}, intact, head {result.HeadHash ?? "none"}";
    }

    /// <summary>Prints the records of one object; warns on stderr when the chain is not intact.</summary>
    public static async Task<int> HistoryAsync(CliCommand.History command, IAuditSource source, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var ns = command.Cluster.Namespace;
        var records = await source.ReadAsync(ns, cancellationToken);
        var history = AuditHistory.Of(records, command.Kind, command.Name).ToList();
        if (history.Count == 0)
        {
            await output.WriteLineAsync($"no records of {command.Kind}/{command.Name} in the audit trail of namespace {ns} ({records.Count} records)");
        }
        else
        {
            await output.WriteAsync(AuditHistory.Format(history));
        }
        var verification = AuditVerifier.Verify(records);
        if (!verification.Intact)
        {
            await error.WriteLineAsync($"warning: {Summary(ns, verification)}");
        }
        return ExitCodes.Success;
    }
}
