using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Admission;

namespace MedOps.Controllers.Tests.Admission;

/// <summary>The cluster as admission sees it: claims, the default StorageClasses, TrainingJobs and MedicalModels, with every lookup recorded.</summary>
internal sealed class FakeAdmissionLookups : IAdmissionLookups
{
    private readonly Dictionary<(string Namespace, string Name), V1PersistentVolumeClaim> claims = [];
    private readonly Dictionary<(string Namespace, string Name), V1Alpha1TrainingJob> jobs = [];
    private readonly Dictionary<(string Namespace, string Name), V1Alpha1MedicalModel> models = [];

    /// <summary>The StorageClasses annotated as the default.</summary>
    public List<string> DefaultClasses { get; } = [];

    /// <summary>Every claim looked up, as namespace/name.</summary>
    public List<string> ClaimLookups { get; } = [];

    /// <summary>How often the default StorageClasses were listed.</summary>
    public int DefaultClassLookups { get; private set; }

    /// <summary>Every TrainingJob looked up, as namespace/name.</summary>
    public List<string> JobLookups { get; } = [];

    /// <summary>Every MedicalModel looked up, as namespace/name.</summary>
    public List<string> ModelLookups { get; } = [];

    /// <summary>Adds a claim; a null <paramref name="storageClass"/> leaves spec.storageClassName out.</summary>
    public FakeAdmissionLookups WithClaim(string @namespace, string name, string? storageClass)
    {
        claims[(@namespace, name)] = new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
            Spec = new V1PersistentVolumeClaimSpec { StorageClassName = storageClass },
        };
        return this;
    }

    /// <summary>Removes a claim added before.</summary>
    public FakeAdmissionLookups WithoutClaim(string @namespace, string name)
    {
        claims.Remove((@namespace, name));
        return this;
    }

    /// <summary>Marks <paramref name="storageClasses"/> as the cluster's default ones.</summary>
    public FakeAdmissionLookups WithDefaultClasses(params string[] storageClasses)
    {
        DefaultClasses.AddRange(storageClasses);
        return this;
    }

    /// <summary>Stores <paramref name="job"/> under its namespace and name.</summary>
    public FakeAdmissionLookups WithJob(V1Alpha1TrainingJob job)
    {
        jobs[(job.Metadata.NamespaceProperty, job.Metadata.Name)] = job;
        return this;
    }

    /// <summary>Stores <paramref name="model"/> under its namespace and name.</summary>
    public FakeAdmissionLookups WithModel(V1Alpha1MedicalModel model)
    {
        models[(model.Metadata.NamespaceProperty, model.Metadata.Name)] = model;
        return this;
    }

    public Task<V1PersistentVolumeClaim?> GetClaimAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        ClaimLookups.Add($"{@namespace}/{name}");
        return Task.FromResult(claims.GetValueOrDefault((@namespace, name)));
    }

    public Task<IReadOnlyList<string>> DefaultStorageClassesAsync(CancellationToken cancellationToken)
    {
        DefaultClassLookups++;
        return Task.FromResult<IReadOnlyList<string>>([.. DefaultClasses]);
    }

    public Task<V1Alpha1TrainingJob?> GetTrainingJobAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        JobLookups.Add($"{@namespace}/{name}");
        return Task.FromResult(jobs.GetValueOrDefault((@namespace, name)));
    }

    public Task<V1Alpha1MedicalModel?> GetModelAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        ModelLookups.Add($"{@namespace}/{name}");
        return Task.FromResult(models.GetValueOrDefault((@namespace, name)));
    }
}
