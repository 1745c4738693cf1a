using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Runtime;
using MedOps.Runtime.Informers;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>The caches the TrainingJob controller reads: its jobs, their workers and children, and the claims they mount.</summary>
public sealed class TrainingJobInformers
{
    /// <summary>Index of jobs by the "namespace/claim" of the dataset and output claims they mount.</summary>
    public const string ByClaim = "claim";

    /// <summary>Creates (or joins) the shared informers.</summary>
    public TrainingJobInformers(Manager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        Jobs = manager.Informers.Get<V1Alpha1TrainingJob>();
        Jobs.Cache.AddIndexer(ByClaim, ClaimKeys);
        Pods = manager.Informers.Get<V1Pod>(labelSelector: ChildMetadata.ManagedBySelector);
        Pods.UseTransform(PodCacheTrim.Trim);
        Services = manager.Informers.Get<V1Service>(labelSelector: ChildMetadata.ManagedBySelector);
        NetworkPolicies = manager.Informers.Get<V1NetworkPolicy>(labelSelector: ChildMetadata.ManagedBySelector);
        // The user's claims carry no MedOps label: watch them all (in the operator's scope).
        Claims = manager.Informers.Get<V1PersistentVolumeClaim>();
    }

    /// <summary>TrainingJobs.</summary>
    public Informer<V1Alpha1TrainingJob> Jobs { get; }

    /// <summary>Worker pods (every MedOps pod; the owner index finds a job's).</summary>
    public Informer<V1Pod> Pods { get; }

    /// <summary>Headless Services.</summary>
    public Informer<V1Service> Services { get; }

    /// <summary>NetworkPolicies of PHI and LimitedDataSet jobs.</summary>
    public Informer<V1NetworkPolicy> NetworkPolicies { get; }

    /// <summary>PersistentVolumeClaims (datasets and outputs).</summary>
    public Informer<V1PersistentVolumeClaim> Claims { get; }

    /// <summary>Keys of the jobs that mount <paramref name="claim"/>.</summary>
    public IEnumerable<ObjectKey> JobsUsing(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return Jobs.Cache.KeysByIndex(ByClaim, $"{claim.Metadata.NamespaceProperty}/{claim.Metadata.Name}");
    }

    /// <summary>The job's pods: those whose controller owner reference is the job.</summary>
    public IReadOnlyList<V1Pod> PodsOf(V1Alpha1TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Pods.Cache.ByIndex(Runtime.Informers.ObjectCache<V1Pod>.OwnerIndex, job.Metadata.Uid ?? "");
    }

    private static IEnumerable<string> ClaimKeys(V1Alpha1TrainingJob job)
    {
        var ns = job.Metadata.NamespaceProperty;
        return new[] { job.Spec.Dataset?.ClaimName, job.Spec.Output?.ClaimName }
            .Where(c => !string.IsNullOrEmpty(c))
            .Distinct(StringComparer.Ordinal)
            .Select(c => $"{ns}/{c}");
    }
}
