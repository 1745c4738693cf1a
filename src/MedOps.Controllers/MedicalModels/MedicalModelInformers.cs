using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.MedicalModels.Builders;
using MedOps.Controllers.Shared;
using MedOps.Runtime;
using MedOps.Runtime.Informers;

namespace MedOps.Controllers.MedicalModels;

/// <summary>The caches the MedicalModel controller reads: its models, the jobs they may reference, and their children.</summary>
public sealed class MedicalModelInformers
{
    /// <summary>Index of models by the "namespace/name" of the TrainingJob they reference.</summary>
    public const string ByTrainingJob = "trainingJob";

    /// <summary>Index of models by the "namespace/claim" of the <c>pvc://</c> URI they serve from.</summary>
    public const string ByClaim = "claim";

    /// <summary>Index of ModelApprovals by the "namespace/name" of the model they approve.</summary>
    public const string ByModel = "model";

    /// <summary>Index of model server pods by the "namespace/name" of their model (the pod template's label).</summary>
    public const string PodsByModel = "model";

    /// <summary>Creates (or joins) the shared informers.</summary>
    public MedicalModelInformers(Manager manager, ServedVersions versions)
    {
        Models = manager.Informers.Get<V1Alpha1MedicalModel>();
        Models.Cache.AddIndexer(ByTrainingJob, m => m.Spec.Source?.TrainingJobRef is { Name.Length: > 0 } job
            ? [$"{m.Metadata.NamespaceProperty}/{job.Name}"]
            : []);
        Models.Cache.AddIndexer(ByClaim, ClaimKeys);
        TrainingJobs = manager.Informers.Get<V1Alpha1TrainingJob>();
        Approvals = manager.Informers.Get<V1Alpha1ModelApproval>();
        Approvals.Cache.AddIndexer(ByModel, a => [$"{a.Metadata.NamespaceProperty}/{a.Spec.ModelName}"]);
        // The user's claims carry no MedOps label: watch them all (in the operator's scope).
        Claims = manager.Informers.Get<V1PersistentVolumeClaim>();
        Deployments = manager.Informers.Get<V1Deployment>(labelSelector: ChildMetadata.ManagedBySelector);
        Services = manager.Informers.Get<V1Service>(labelSelector: ChildMetadata.ManagedBySelector);
        Autoscalers = manager.Informers.Get<V2HorizontalPodAutoscaler>(versions.Autoscaler, ChildMetadata.ManagedBySelector);
        DisruptionBudgets = manager.Informers.Get<V1PodDisruptionBudget>(versions.DisruptionBudget, ChildMetadata.ManagedBySelector);
        NetworkPolicies = manager.Informers.Get<V1NetworkPolicy>(labelSelector: ChildMetadata.ManagedBySelector);
        // Every MedOps pod, shared with the TrainingJob controller (same selector, same trim).
        Pods = manager.Informers.Get<V1Pod>(labelSelector: ChildMetadata.ManagedBySelector);
        Pods.UseTransform(PodCacheTrim.Trim);
        Pods.Cache.AddIndexer(PodsByModel, p => ModelOfPod(p) is { } key ? [$"{key.Namespace}/{key.Name}"] : []);
    }

    /// <summary>Model server pods and training workers (the index finds a model's).</summary>
    public Informer<V1Pod> Pods { get; }

    /// <summary>The pods of <paramref name="model"/>'s Deployment, whatever their ReplicaSet.</summary>
    public IReadOnlyList<V1Pod> PodsOf(V1Alpha1MedicalModel model) =>
        Pods.Cache.ByIndex(PodsByModel, $"{model.Metadata.NamespaceProperty}/{model.Metadata.Name}");

    /// <summary>The model a server pod belongs to (its <c>medops.io/medicalmodel</c> label); none for other pods.</summary>
    public static IEnumerable<ObjectKey> ModelOfServerPod(V1Pod pod) => ModelOfPod(pod) is { } key ? [key] : [];

    private static ObjectKey? ModelOfPod(V1Pod pod) =>
        pod.Metadata?.Labels is { } labels && labels.TryGetValue(ModelLabel, out var name) && name.Length > 0
            ? new ObjectKey(pod.Metadata.NamespaceProperty ?? "", name)
            : null;

    private static readonly string ModelLabel = ChildMetadata.OwnerLabelKey(V1Alpha1MedicalModel.KubeKind);

    /// <summary>MedicalModels.</summary>
    public Informer<V1Alpha1MedicalModel> Models { get; }

    /// <summary>TrainingJobs (for <c>source.trainingJobRef</c>).</summary>
    public Informer<V1Alpha1TrainingJob> TrainingJobs { get; }

    /// <summary>ModelApprovals (Clinical models serve only approved versions).</summary>
    public Informer<V1Alpha1ModelApproval> Approvals { get; }

    /// <summary>PersistentVolumeClaims (models served from <c>pvc://</c>).</summary>
    public Informer<V1PersistentVolumeClaim> Claims { get; }

    /// <summary>Model server Deployments.</summary>
    public Informer<V1Deployment> Deployments { get; }

    /// <summary>Model Services.</summary>
    public Informer<V1Service> Services { get; }

    /// <summary>HorizontalPodAutoscalers, at the served version.</summary>
    public Informer<V2HorizontalPodAutoscaler> Autoscalers { get; }

    /// <summary>PodDisruptionBudgets, at the served version.</summary>
    public Informer<V1PodDisruptionBudget> DisruptionBudgets { get; }

    /// <summary>NetworkPolicies of PHI and LimitedDataSet models.</summary>
    public Informer<V1NetworkPolicy> NetworkPolicies { get; }

    /// <summary>Keys of the models that reference <paramref name="job"/>.</summary>
    public IEnumerable<ObjectKey> ModelsReferencing(V1Alpha1TrainingJob job) =>
        Models.Cache.KeysByIndex(ByTrainingJob, $"{job.Metadata.NamespaceProperty}/{job.Metadata.Name}");

    /// <summary>The approvals that name <paramref name="model"/>.</summary>
    public IReadOnlyList<V1Alpha1ModelApproval> ApprovalsOf(V1Alpha1MedicalModel model) =>
        Approvals.Cache.ByIndex(ByModel, $"{model.Metadata.NamespaceProperty}/{model.Metadata.Name}");

    /// <summary>The key of the model <paramref name="approval"/> names.</summary>
    public static IEnumerable<ObjectKey> ModelApprovedBy(V1Alpha1ModelApproval approval) =>
        [new ObjectKey(approval.Metadata.NamespaceProperty ?? "", approval.Spec.ModelName)];

    /// <summary>Keys of the models served from <paramref name="claim"/>.</summary>
    public IEnumerable<ObjectKey> ModelsUsing(V1PersistentVolumeClaim claim) =>
        Models.Cache.KeysByIndex(ByClaim, $"{claim.Metadata.NamespaceProperty}/{claim.Metadata.Name}");

    // The claim of spec.source.uri, and of status.modelUri: a model resolved from a TrainingJob
    // serves from the job's output claim, which only the status names.
    private static IEnumerable<string> ClaimKeys(V1Alpha1MedicalModel model) =>
        new[] { model.Spec.Source?.Uri, model.Status?.ModelUri }
            .Select(uri => ModelUri.TryParse(uri, out var parsed, out _) ? parsed.Pvc?.ClaimName : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Select(claim => $"{model.Metadata.NamespaceProperty}/{claim}");
}
