namespace MedOps.Runtime.Audit;

/// <summary>
/// A stored line that is not an audit record (broken JSON, a missing field): the chain was
/// damaged by hand. Names the segment and the line.
/// </summary>
public sealed class AuditFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AuditFormatException(string segment, int line, string message, Exception? inner = null)
        : base($"{segment} line {line} is not an audit record: {message}", inner)
    {
        Segment = segment;
        Line = line;
    }

    /// <summary>The ConfigMap holding the line.</summary>
    public string Segment { get; }

    /// <summary>The line number in its <c>records.jsonl</c>, from 1.</summary>
    public int Line { get; }
}
