namespace MedOps.Runtime.Admission;

/// <summary>
/// Mutates CREATE and UPDATE requests of one kind (group + kind) before they are validated and
/// stored: the operations are sent back as the mutating webhook's JSON Patch.
/// </summary>
public interface IAdmissionMutator
{
    /// <summary>The API group of the kind.</summary>
    string Group { get; }

    /// <summary>The kind, for example <c>MedicalModel</c>.</summary>
    string Kind { get; }

    /// <summary>The changes to make to the request's object; empty for none. Throwing refuses the request.</summary>
    Task<IReadOnlyList<JsonPatchOperation>> MutateAsync(AdmissionRequest request, CancellationToken cancellationToken);
}
