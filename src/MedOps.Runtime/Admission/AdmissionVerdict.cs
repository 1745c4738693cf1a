namespace MedOps.Runtime.Admission;

/// <summary>One refused field: its path (<c>spec.source.uri</c>) and what to change.</summary>
/// <param name="Field">The field path, as Kubernetes writes it (<c>spec.disk.size</c>, <c>metadata.name</c>).</param>
/// <param name="Message">What is wrong and how to fix it; starts with the field path, so it reads alone.</param>
/// <param name="Forbidden">True for a rule that depends on who asks (RBAC), false for an invalid value.</param>
public sealed record FieldViolation(string Field, string Message, bool Forbidden = false);

/// <summary>A validator's answer: allowed (possibly with warnings), or refused with every violation found.</summary>
public sealed record AdmissionVerdict
{
    private AdmissionVerdict(IReadOnlyList<FieldViolation> violations, IReadOnlyList<string> warnings)
    {
        Violations = violations;
        Warnings = warnings;
    }

    /// <summary>Allowed, with nothing to say.</summary>
    public static AdmissionVerdict Allow { get; } = new([], []);

    /// <summary>Every violation found; empty when allowed.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }

    /// <summary>Warnings kubectl prints even when the request is allowed.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when there are no violations.</summary>
    public bool Allowed => Violations.Count == 0;

    /// <summary>Refused for <paramref name="violations"/>; allowed when the list is empty.</summary>
    public static AdmissionVerdict From(IEnumerable<FieldViolation> violations, IEnumerable<string>? warnings = null) =>
        new([.. violations], [.. warnings ?? []]);
}
