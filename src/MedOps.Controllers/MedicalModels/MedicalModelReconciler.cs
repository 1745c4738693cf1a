using System.Collections.Concurrent;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Approvals;
using MedOps.Controllers.MedicalModels.Builders;
using MedOps.Controllers.MedicalModels.Validation;
using MedOps.Controllers.Shared;
using MedOps.Runtime;
using MedOps.Runtime.Api;
using MedOps.Runtime.Controllers;
using MedOps.Runtime.Writes;

namespace MedOps.Controllers.MedicalModels;

/// <summary>
/// Brings a MedicalModel's children to what its spec asks (Deployment, Service, and as needed
/// HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicy) and reports how far serving has
/// come. Builders decide what the children look like; this class only orchestrates: validate,
/// resolve the source, apply what differs, delete what is no longer wanted, write the status.
/// </summary>
public sealed class MedicalModelReconciler(
    Manager manager,
    MedicalModelInformers informers,
    ServedVersions versions,
    ControllerSettings settings,
    TimeProvider time) : IReconciler<V1Alpha1MedicalModel>
{
    // The last approval change recorded per model (uid): a reconcile that still reads the status
    // from before this process' write must not record the same change twice.
    private readonly ConcurrentDictionary<string, string> recordedApprovals = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(V1Alpha1MedicalModel model, CancellationToken cancellationToken)
    {
        if (model.Metadata.DeletionTimestamp is not null)
        {
            // Children carry owner references: the garbage collector removes them.
            return ReconcileResult.Done;
        }
        var ns = model.Metadata.NamespaceProperty;
        Problem? problem = null;
        SourceResolution? source = null;
        if (MedicalModelValidator.Validate(model) is { } invalid)
        {
            problem = invalid;
        }
        else
        {
            source = SourceResolution.Resolve(model, job => informers.TrainingJobs.Cache.Get(ns, job));
            if (source is SourceResolution.Unresolvable unresolvable)
            {
                problem = unresolvable.Problem;
            }
        }

        // A spec that cannot be served leaves the children as they are: the last good version
        // keeps serving while a person fixes the spec. Nothing is lost.
        var deployment = informers.Deployments.Cache.Get(ns, model.Metadata.Name);
        ApprovalDecision? approval = null;
        KubeApiException? applyError = null;
        if (problem is null && source is SourceResolution.Resolved resolved)
        {
            if (!ResolvedModelSource.TryCreate(resolved.Uri, resolved.Digest, out var files, out var error))
            {
                problem = new Problem(MedicalModelReasons.InvalidModelUri, $"model URI {resolved.Uri}: {error}");
            }
            else if (MissingClaim(model, files) is { } missingClaim)
            {
                // Without its claim the server pod could never start: say so now, not after
                // the Deployment's progress deadline. The claim watch brings the model back.
                problem = missingClaim;
            }
            else
            {
                approval = ApprovalGate.Decide(model, informers.ApprovalsOf(model));
                try
                {
                    deployment = approval.Action switch
                    {
                        // The last approved version keeps serving exactly as it is.
                        ApprovalAction.Keep => await KeepServingAsync(model, deployment, cancellationToken),
                        // No approved version may serve: the children, scaled to zero.
                        ApprovalAction.Hold => await ApplyChildrenAsync(Held(model), files, cancellationToken),
                        _ => await ApplyChildrenAsync(model, files, cancellationToken),
                    };
                }
                catch (KubeApiException ex) when (!ex.IsConflict)
                {
                    // Say so in the status before the retry (quota exhausted, no ClusterIP left,
                    // a webhook refusing): an error only in the operator's log helps nobody.
                    applyError = ex;
                }
            }
        }

        var pods = informers.PodsOf(model);
        var serving = ServingDiagnosis.Diagnose(pods, model.Spec.Runtime);
        var status = MedicalModelStatusBuilder.Build(new ModelObservation
        {
            Model = model,
            Serving = serving,
            ModelDigest = ServingDiagnosis.VerifiedDigest(pods),
            Problem = problem,
            Source = source,
            Deployment = deployment,
            Approval = approval,
            ApplyError = applyError is null ? null : $"the API server refused a child object: {applyError.Message}",
            Now = time.GetUtcNow().UtcDateTime,
        });
        RecordEvents(model, status, problem, serving);
        if (approval is not null && applyError is null && approval.Changes(model.Status?.Approval))
        {
            // Before the status write: a failed audit write retries the whole step.
            await RecordApprovalChangeAsync(model, approval, cancellationToken);
        }
        if (applyError is not null)
        {
            manager.Events.Warning(model, MedicalModelReasons.ApplyFailed, applyError.Message);
        }
        await manager.Status.UpdateAsync(model, model.Status, status, cancellationToken);
        if (applyError is not null)
        {
            throw applyError;
        }
        return problem is { } p ? ReconcileResult.Terminal(p.Reason) : ReconcileResult.Done;
    }

    // While a new version waits, the server's children stay as the approved version left them;
    // only the NetworkPolicy follows the spec, because confinement of patient data never waits
    // for an approval (a deleted policy is recreated at once).
    private async Task<V1Deployment?> KeepServingAsync(V1Alpha1MedicalModel model, V1Deployment? deployment, CancellationToken cancellationToken)
    {
        var changes = new ChildChanges();
        await manager.Children.ApplyOrDeleteAsync(changes, model, ResourceType.For<V1NetworkPolicy>(), ModelNetworkPolicyBuilder.Build(model, settings.PhiEgressCidrs),
            informers.NetworkPolicies.Cache.Get(model.Metadata.NamespaceProperty, model.Metadata.Name), cancellationToken);
        manager.Events.ChildrenChanged(model, changes);
        return deployment;
    }

    // The model as the builders see it while no approved version may serve: suspended, so the
    // Deployment has no replica and there is no autoscaler or disruption budget.
    private static V1Alpha1MedicalModel Held(V1Alpha1MedicalModel model)
    {
        var held = KubeJson.Deserialize<V1Alpha1MedicalModel>(KubeJson.SerializeToUtf8Bytes(model));
        held.Spec.Suspend = true;
        return held;
    }

    private async Task RecordApprovalChangeAsync(V1Alpha1MedicalModel model, ApprovalDecision approval, CancellationToken cancellationToken)
    {
        var uid = model.Metadata.Uid ?? $"{model.Metadata.NamespaceProperty}/{model.Metadata.Name}";
        var change = $"{approval.Status?.State}|{approval.Status?.Approved?.Version}|{approval.Status?.Approved?.Digest}|{approval.Status?.Approved?.Approval}";
        if (recordedApprovals.TryGetValue(uid, out var recorded) && recorded == change)
        {
            return;
        }
        var now = time.GetUtcNow();
        switch (approval.Status?.State)
        {
            case ModelApprovalState.Approved when approval.Status.Approved is { } serving:
                manager.Events.Normal(model, MedicalModelReasons.VersionApproved,
                    $"version {serving.Version} ({serving.Digest}) approved by {serving.Approver} in ModelApproval {serving.Approval}: serving it");
                await settings.Audit.RecordAsync(model, "VersionServing", Facts(serving, model), now, cancellationToken);
                break;
            case ModelApprovalState.Revoked when model.Status?.Approval?.State != ModelApprovalState.Revoked:
                manager.Events.Warning(model, MedicalModelReasons.ApprovalRevoked, approval.Message ?? "the approval was deleted");
                await settings.Audit.RecordAsync(model, "ServingStopped",
                    Facts(model.Status?.Approval?.Approved ?? new ApprovedModelVersion(), model, ("reason", MedicalModelReasons.ApprovalRevoked)), now, cancellationToken);
                break;
        }
        recordedApprovals[uid] = change;
    }

    private static Dictionary<string, string> Facts(ApprovedModelVersion version, V1Alpha1MedicalModel model, params (string Key, string Value)[] more)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["classification"] = model.Spec.DataClassification.ToString(),
        };
        void Put(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                facts[key] = value;
            }
        }
        Put("version", version.Version);
        Put("digest", version.Digest);
        Put("approval", version.Approval);
        Put("approver", version.Approver);
        foreach (var (key, value) in more)
        {
            Put(key, value);
        }
        return facts;
    }

    private Problem? MissingClaim(V1Alpha1MedicalModel model, ResolvedModelSource files)
    {
        var ns = model.Metadata.NamespaceProperty;
        if (files.Pvc is not { } pvc || informers.Claims.Cache.Get(ns, pvc.ClaimName) is not null)
        {
            return null;
        }
        var where = model.Spec.Source.TrainingJobRef is { } job
            ? $"the output of TrainingJob {job.Name} ({files.Uri})"
            : $"spec.source.uri ({files.Uri})";
        return new Problem(MedicalModelReasons.ModelClaimNotFound,
            $"{where} names PersistentVolumeClaim {pvc.ClaimName}, which does not exist in namespace {ns}: create it or fix the URI");
    }

    private async Task<V1Deployment> ApplyChildrenAsync(V1Alpha1MedicalModel model, ResolvedModelSource files, CancellationToken cancellationToken)
    {
        var ns = model.Metadata.NamespaceProperty;
        var name = model.Metadata.Name;
        var defaults = new ModelServingDefaults(settings.ModelInitializerImage, settings.PhiEgressCidrs);
        var children = manager.Children;
        var changes = new ChildChanges();

        var deployment = await children.ApplyAsync(changes, ResourceType.For<V1Deployment>(),
            ModelDeploymentBuilder.Build(model, files, defaults), informers.Deployments.Cache.Get(ns, name), cancellationToken);
        await children.ApplyAsync(changes, ResourceType.For<V1Service>(), ModelServiceBuilder.Build(model), informers.Services.Cache.Get(ns, name), cancellationToken);
        // Not wanted any more (autoscaling turned off, suspended, classification lowered): ours are deleted.
        await children.ApplyOrDeleteAsync(changes, model, versions.Autoscaler, ModelAutoscalerBuilder.Build(model), informers.Autoscalers.Cache.Get(ns, name), cancellationToken);
        await children.ApplyOrDeleteAsync(changes, model, versions.DisruptionBudget, ModelDisruptionBudgetBuilder.Build(model), informers.DisruptionBudgets.Cache.Get(ns, name), cancellationToken);
        await children.ApplyOrDeleteAsync(changes, model, ResourceType.For<V1NetworkPolicy>(), ModelNetworkPolicyBuilder.Build(model, settings.PhiEgressCidrs),
            informers.NetworkPolicies.Cache.Get(ns, name), cancellationToken);
        manager.Events.ChildrenChanged(model, changes);
        return deployment;
    }

    private void RecordEvents(V1Alpha1MedicalModel model, V1Alpha1MedicalModelStatus status, Problem? problem, PodProblem? serving)
    {
        var ready = status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        var before = model.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        if (problem is { } p)
        {
            manager.Events.Warning(model, p.Reason, p.Message);
        }
        else if (serving is { Stalled: false } s && ready?.Reason == s.Reason && before?.Reason != s.Reason && s.Reason != MedicalModelReasons.ServerNotReady)
        {
            // Once per cause (an image that cannot be pulled, a crash loop, no node): not on
            // every pod update. A probe that has not passed yet is no news in itself.
            manager.Events.Warning(model, s.Reason, s.Message);
        }
        else if (status.Phase != model.Status?.Phase && status.Phase is MedicalModelPhase.Ready or MedicalModelPhase.Suspended or MedicalModelPhase.Degraded or MedicalModelPhase.Failed)
        {
            var type = status.Phase is MedicalModelPhase.Degraded or MedicalModelPhase.Failed ? "Warning" : "Normal";
            if (type == "Warning")
            {
                manager.Events.Warning(model, ready?.Reason ?? status.Phase.ToString()!, ready?.Message ?? "");
            }
            else
            {
                manager.Events.Normal(model, ready?.Reason ?? status.Phase.ToString()!, ready?.Message ?? "");
            }
        }
    }
}
