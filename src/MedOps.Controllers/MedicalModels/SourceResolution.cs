using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Runtime.Status;

namespace MedOps.Controllers.MedicalModels;

/// <summary>Where a model's files come from, once its <c>source</c> has been looked at.</summary>
public abstract record SourceResolution
{
    /// <summary>The model URI is known: serve it.</summary>
    public sealed record Resolved(string Uri, string? Digest, ModelLineage? Lineage) : SourceResolution;

    /// <summary>The model comes from a TrainingJob that has not succeeded yet: not a problem, just not yet.</summary>
    public sealed record Waiting(string Message, ModelLineage? Lineage) : SourceResolution;

    /// <summary>A person must act (a reference to a job that does not exist, or that failed).</summary>
    public sealed record Unresolvable(Problem Problem) : SourceResolution;

    /// <summary>
    /// Resolves the source from the spec and, for <c>trainingJobRef</c>, the cached TrainingJob.
    /// The spec's exactly-one-of rule is checked by the validator before this runs.
    /// <para>
    /// A job that is gone after it produced this model (deleted by its
    /// <c>ttlSecondsAfterFinished</c>, or by hand) leaves the model serving what it produced: the
    /// status's lineage recorded the job's output when the model was resolved from it, and a
    /// model outlives the job that trained it. Only a reference to a job this model never got
    /// an output from is a problem.
    /// </para>
    /// <para>
    /// The digest to verify is <c>source.digest</c>, else the job's <c>status.outputDigest</c>
    /// (kept in the lineage, so also after the job is gone).
    /// </para>
    /// </summary>
    public static SourceResolution Resolve(V1Alpha1MedicalModel model, Func<string, V1Alpha1TrainingJob?> findJob)
    {
        var source = model.Spec.Source;
        if (source.TrainingJobRef is not { Name.Length: > 0 } reference)
        {
            return new Resolved(source.Uri!, source.Digest, null);
        }
        var job = findJob(reference.Name);
        if (job is null && model.Status?.Lineage is { OutputUri.Length: > 0 } recorded && recorded.TrainingJob == reference.Name)
        {
            return new Resolved(recorded.OutputUri, Pin(source.Digest, recorded.Digest), recorded);
        }
        if (job is null)
        {
            return new Unresolvable(new Problem(MedicalModelReasons.TrainingJobNotFound,
                $"source.trainingJobRef names TrainingJob {reference.Name}, which does not exist in namespace {model.Metadata.NamespaceProperty}; create it or fix the reference"));
        }
        var lineage = new ModelLineage { TrainingJob = job.Metadata.Name, DatasetClaim = job.Spec.Dataset?.ClaimName };
        if (job.Status?.Phase == TrainingJobPhase.Failed)
        {
            // Finished for good: waiting would look like progress forever (kstatus: InProgress).
            return new Unresolvable(new Problem(MedicalModelReasons.TrainingJobFailed,
                $"source.trainingJobRef names TrainingJob {job.Metadata.Name}, which failed ({Conditions.Find(job.Status.Conditions, ConditionTypes.Failed)?.Reason ?? "Failed"}); run it again under a new name or fix the reference"));
        }
        if (job.Status?.Phase != TrainingJobPhase.Succeeded || string.IsNullOrEmpty(job.Status.OutputUri))
        {
            var phase = job.Status?.Phase?.ToString() ?? "Pending";
            return new Waiting($"waiting for TrainingJob {job.Metadata.Name} to succeed (now {phase})", lineage);
        }
        lineage.OutputUri = job.Status.OutputUri;
        lineage.Digest = string.IsNullOrEmpty(job.Status.OutputDigest) ? null : job.Status.OutputDigest;
        return new Resolved(job.Status.OutputUri, Pin(source.Digest, lineage.Digest), lineage);
    }

    // The digest the pods verify: the model's own pin, else the digest the job computed of its
    // output. A model resolved from a job is verified even when nobody wrote source.digest.
    private static string? Pin(string? own, string? computed) =>
        !string.IsNullOrEmpty(own) ? own : string.IsNullOrEmpty(computed) ? null : computed;
}
