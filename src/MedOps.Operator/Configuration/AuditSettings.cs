using MedOps.Api.Serialization;

namespace MedOps.Operator.Configuration;

/// <summary>
/// The <c>audit</c> section of the config file: whether the operator keeps the audit trail, and
/// the bounds of its storage (ConfigMaps in the operator's namespace, one chain per audited
/// namespace). Records older than <see cref="Retention"/>, or beyond
/// <see cref="MaxRecordsPerChain"/>, are pruned a segment at a time; the JSON log lines keep the
/// long-term copy.
/// </summary>
public sealed record AuditSettings
{
    /// <summary>True (the default): record; false: the operator records nothing.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How long records stay in the cluster (default 90 days).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(90);

    /// <summary>The most records one namespace's chain keeps (default 20,000).</summary>
    public int MaxRecordsPerChain { get; init; } = 20_000;

    /// <summary>Records per ConfigMap segment (default 256, about 120 KB).</summary>
    public int RecordsPerSegment { get; init; } = 256;

    /// <summary>The settings the section gives, or null with <paramref name="error"/> when a value is out of range.</summary>
    internal static AuditSettings? From(OperatorConfigFile.AuditSection? section, out string? error)
    {
        error = null;
        var settings = new AuditSettings();
        if (section is null)
        {
            return settings;
        }
        if (section.Retention is { } text)
        {
            if (!GoDuration.TryParse(text, out var retention) || retention < TimeSpan.FromHours(1))
            {
                error = $"audit.retention: \"{text}\" is not a duration of at least 1h, such as 2160h (90 days)";
                return null;
            }
            settings = settings with { Retention = retention };
        }
        if (section.RecordsPerSegment is { } perSegment)
        {
            // A ConfigMap holds at most 1 MiB; a record is about 500 bytes.
            if (perSegment is < 16 or > 1000)
            {
                error = $"audit.recordsPerSegment: {perSegment} is not between 16 and 1000";
                return null;
            }
            settings = settings with { RecordsPerSegment = perSegment };
        }
        if (section.MaxRecordsPerChain is { } max)
        {
            if (max < 2 * settings.RecordsPerSegment)
            {
                error = $"audit.maxRecordsPerChain: {max} must be at least twice audit.recordsPerSegment ({settings.RecordsPerSegment})";
                return null;
            }
            settings = settings with { MaxRecordsPerChain = max };
        }
        return settings with { Enabled = section.Enabled ?? true };
    }
}
