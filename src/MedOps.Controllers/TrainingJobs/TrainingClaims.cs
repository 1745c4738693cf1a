using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Runtime.Informers;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>The check that a TrainingJob's dataset and output claims exist, against the claims cache. Pure over the cache.</summary>
public static class TrainingClaims
{
    /// <summary>The first missing claim as a problem (dataset first), or null when both exist.</summary>
    public static Problem? FindMissing(V1Alpha1TrainingJob job, ObjectCache<V1PersistentVolumeClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(claims);
        var ns = job.Metadata.NamespaceProperty;
        var dataset = job.Spec.Dataset.ClaimName;
        if (claims.Get(ns, dataset) is null)
        {
            return new Problem(TrainingJobReasons.DatasetClaimNotFound,
                $"spec.dataset.claimName names PersistentVolumeClaim {dataset}, which does not exist in namespace {ns}: create it or fix the name");
        }
        var output = job.Spec.Output.ClaimName;
        if (claims.Get(ns, output) is null)
        {
            return new Problem(TrainingJobReasons.OutputClaimNotFound,
                $"spec.output.claimName names PersistentVolumeClaim {output}, which does not exist in namespace {ns}: create it or fix the name");
        }
        return null;
    }
}
