using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Runtime.Admission;
using MedOps.Runtime.Api;

namespace MedOps.Controllers.Admission;

/// <summary>
/// The lookups and access reviews, as direct API requests. Admission is rare (a person or a
/// pipeline applying a change), so a GET per request costs little and is never stale, which a
/// cache just started on a new replica could be.
/// </summary>
public sealed class ApiAdmissionLookups(KubeApi api) : IAdmissionLookups, IAccessReviewer
{
    /// <summary>The annotations that mark a default StorageClass (GA and the old beta one).</summary>
    public static readonly string[] DefaultClassAnnotations =
        ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"];

    private static readonly ResourceType StorageClasses = new("storage.k8s.io", "v1", "storageclasses", "StorageClass", Namespaced: false);

    private static readonly ResourceType AccessReviews = new("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", Namespaced: false);

    /// <inheritdoc />
    public Task<V1PersistentVolumeClaim?> GetClaimAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        api.GetAsync<V1PersistentVolumeClaim>(ResourceType.For<V1PersistentVolumeClaim>(), @namespace, name, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> DefaultStorageClassesAsync(CancellationToken cancellationToken)
    {
        var page = await api.ListAsync<V1StorageClass>(StorageClasses, null, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. page.Items.Where(IsDefault).Select(c => c.Metadata.Name)];
    }

    /// <inheritdoc />
    public Task<V1Alpha1TrainingJob?> GetTrainingJobAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        api.GetAsync<V1Alpha1TrainingJob>(ResourceType.For<V1Alpha1TrainingJob>(), @namespace, name, cancellationToken);

    /// <inheritdoc />
    public Task<V1Alpha1MedicalModel?> GetModelAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        api.GetAsync<V1Alpha1MedicalModel>(ResourceType.For<V1Alpha1MedicalModel>(), @namespace, name, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> IsAllowedAsync(AdmissionUser user, ResourceAttributes resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(resource);
        var review = new V1SubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SubjectAccessReview",
            Metadata = new V1ObjectMeta(),
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user.Username,
                Uid = user.Uid,
                Groups = user.Groups,
                Extra = user.Extra?.ToDictionary(e => e.Key, e => (IList<string>)e.Value),
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = resource.Verb,
                    Group = resource.Group,
                    Resource = resource.Resource,
                    NamespaceProperty = resource.Namespace,
                    Name = resource.Name,
                },
            },
        };
        var answer = await api.CreateAsync(AccessReviews, null, review, cancellationToken).ConfigureAwait(false);
        return answer.Status?.Allowed == true;
    }

    /// <summary>True for a StorageClass annotated as the default.</summary>
    public static bool IsDefault(V1StorageClass storageClass) =>
        storageClass?.Metadata?.Annotations is { } annotations
        && DefaultClassAnnotations.Any(a => annotations.TryGetValue(a, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));
}
