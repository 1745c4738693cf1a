namespace MedOps.Runtime.Audit;

/// <summary>Where and how an <see cref="AuditStore"/> keeps its chains.</summary>
/// <param name="Namespace">The namespace holding the segments' ConfigMaps (the operator's own).</param>
public sealed record AuditStoreOptions(string Namespace)
{
    /// <summary>Records per segment (ConfigMap) before the next one is started.</summary>
    public int RecordsPerSegment { get; init; } = 256;

    /// <summary>How long records are kept: whole segments whose newest record is older are pruned.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(90);

    /// <summary>The most records a chain keeps; its oldest segments are pruned beyond it.</summary>
    public int MaxRecordsPerChain { get; init; } = 20_000;

    /// <summary>How many times one write is tried against conflicting writers before the append fails.</summary>
    public int MaxAttempts { get; init; } = 20;
}
