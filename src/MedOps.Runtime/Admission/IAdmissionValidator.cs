namespace MedOps.Runtime.Admission;

/// <summary>Validates CREATE and UPDATE requests of one kind (group + kind).</summary>
public interface IAdmissionValidator
{
    /// <summary>The API group of the kind.</summary>
    string Group { get; }

    /// <summary>The kind, for example <c>MedicalModel</c>.</summary>
    string Kind { get; }

    /// <summary>Decides on one request. Throwing refuses it (the webhook fails closed).</summary>
    Task<AdmissionVerdict> ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken);
}
