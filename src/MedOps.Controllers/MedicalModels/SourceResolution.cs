using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.MedicalModels;

/// <summary>Where a model's files come from, once its <c>source</c> has been looked at.</summary>
public abstract record SourceResolution
{
    /// <summary>The model URI is known: serve it.</summary>
    public sealed record Resolved(string Uri, string? Digest, ModelLineage? Lineage) : SourceResolution;

    /// <summary>The model comes from a TrainingJob that has not succeeded yet: not a problem, just not yet.</summary>
    public sealed record Waiting(string Message, ModelLineage? Lineage) : SourceResolution;

    /// <summary>A person must act (a reference to a job that does not exist).</summary>
    public sealed record Problem(string Reason, string Message) : SourceResolution;

    /// <summary>
    /// Resolves the source from the spec and, for <c>trainingJobRef</c>, the cached TrainingJob.
    /// The spec's exactly-one-of rule is checked by the validator before this runs.
    /// </summary>
    public static SourceResolution Resolve(V1Alpha1MedicalModel model, Func<string, V1Alpha1TrainingJob?> findJob)
    {
        var source = model.Spec.Source;
        if (source.TrainingJobRef is not { Name.Length: > 0 } reference)
        {
            return new Resolved(source.Uri!, source.Digest, null);
        }
        var job = findJob(reference.Name);
        if (job is null)
        {
            return new Problem("TrainingJobNotFound",
                $"source.trainingJobRef names TrainingJob {reference.Name}, which does not exist in namespace {model.Metadata.NamespaceProperty}; create it or fix the reference");
        }
        var lineage = new ModelLineage { TrainingJob = job.Metadata.Name, DatasetClaim = job.Spec.Dataset?.ClaimName };
        if (job.Status?.Phase != TrainingJobPhase.Succeeded || string.IsNullOrEmpty(job.Status.OutputUri))
        {
            var phase = job.Status?.Phase?.ToString() ?? "Pending";
            return new Waiting($"waiting for TrainingJob {job.Metadata.Name} to succeed (now {phase})", lineage);
        }
        return new Resolved(job.Status.OutputUri, source.Digest, lineage);
    }
}
