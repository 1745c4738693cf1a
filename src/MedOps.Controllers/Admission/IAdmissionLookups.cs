using k8s.Models;
using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Admission;

/// <summary>The objects a guardrail reads beside the one being admitted.</summary>
public interface IAdmissionLookups
{
    /// <summary>A claim, or null when it does not exist.</summary>
    Task<V1PersistentVolumeClaim?> GetClaimAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>The names of the StorageClasses marked as the cluster's default.</summary>
    Task<IReadOnlyList<string>> DefaultStorageClassesAsync(CancellationToken cancellationToken);

    /// <summary>A TrainingJob, or null when it does not exist.</summary>
    Task<V1Alpha1TrainingJob?> GetTrainingJobAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>A MedicalModel, or null when it does not exist.</summary>
    Task<V1Alpha1MedicalModel?> GetModelAsync(string @namespace, string name, CancellationToken cancellationToken);
}

/// <summary>Asks the API server whether a user may do something (a SubjectAccessReview).</summary>
public interface IAccessReviewer
{
    /// <summary>True when <paramref name="user"/> may do what <paramref name="resource"/> describes.</summary>
    Task<bool> IsAllowedAsync(Runtime.Admission.AdmissionUser user, ResourceAttributes resource, CancellationToken cancellationToken);
}

/// <summary>The object and verb an access review asks about.</summary>
public sealed record ResourceAttributes(string Verb, string Group, string Resource, string? Namespace, string? Name);
