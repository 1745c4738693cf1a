namespace MedOps.Runtime.Admission;

/// <summary>
/// Told of every validated request that is not a dry run, with the verdict, before the answer
/// goes back (an audit trail). Throwing refuses a request that was allowed: what cannot be
/// recorded does not happen.
/// </summary>
public interface IAdmissionObserver
{
    /// <summary>Records <paramref name="request"/> and its <paramref name="verdict"/>.</summary>
    Task ObserveAsync(AdmissionRequest request, AdmissionVerdict verdict, CancellationToken cancellationToken);
}
