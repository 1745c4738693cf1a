using System.Text.Json;
using k8s;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Approvals;
using MedOps.Controllers.TrainingJobs.Builders;
using MedOps.Runtime.Admission;
using MedOps.Runtime.Api;
using MedOps.Runtime.Audit;

namespace MedOps.Controllers.Admission;

/// <summary>
/// The audit trail of the admission webhook: every controlled change it admits (a model's
/// version, an approval granted or revoked, a classification or usage lowered, a workload
/// suspended or started) and every refusal becomes an entry in the chain of the object's
/// namespace, with the authenticated user as the actor. The facts hold names, versions,
/// digests, classifications and usages only: never URIs (their paths can name patients),
/// comments (free text can hold anything) or other spec values.
/// </summary>
/// <param name="sink">Where the entries are stored; a failure refuses the allowed request.</param>
/// <param name="time">The clock of the entries.</param>
public sealed class AdmissionAudit(IAuditSink sink, TimeProvider time) : IAdmissionObserver
{
    /// <summary>The actor of a request without a user name (the API server always sends one).</summary>
    public const string UnknownActor = "(unknown)";

    /// <inheritdoc />
    public async Task ObserveAsync(AdmissionRequest request, AdmissionVerdict verdict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(verdict);
        // Chains are per namespace, and every MedOps kind is namespaced.
        if (string.IsNullOrEmpty(request.Namespace))
        {
            return;
        }
        var actions = verdict.Allowed ? Admitted(request) : [Refused(request, verdict)];
        if (actions.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        var actor = request.UserInfo.Username is { Length: > 0 } user ? user : UnknownActor;
        var subject = Subject(request);
        var entries = actions.Select(a => new AuditEntry(now, actor, a.Action, subject, a.Facts)).ToList();
        await sink.RecordAsync(request.Namespace, entries, cancellationToken).ConfigureAwait(false);
    }

    private static IReadOnlyList<AuditAction> Admitted(AdmissionRequest request) => request.Kind.Kind switch
    {
        V1Alpha1MedicalModel.KubeKind => ModelActions(Decode<V1Alpha1MedicalModel>(request.Object), Decode<V1Alpha1MedicalModel>(request.OldObject), request.Operation),
        V1Alpha1ModelApproval.KubeKind => ApprovalActions(request),
        V1Alpha1TrainingJob.KubeKind => JobActions(Decode<V1Alpha1TrainingJob>(request.Object), Decode<V1Alpha1TrainingJob>(request.OldObject), request.Operation),
        V1Alpha1Workspace.KubeKind => WorkspaceActions(Decode<V1Alpha1Workspace>(request.Object), Decode<V1Alpha1Workspace>(request.OldObject), request.Operation),
        _ => [],
    };

    private static AuditAction Refused(AdmissionRequest request, AdmissionVerdict verdict) => new("Refused", new Dictionary<string, string>
    {
        ["operation"] = request.Operation,
        ["fields"] = string.Join(",", verdict.Violations.Select(v => v.Field)),
        ["forbidden"] = verdict.Violations.Any(v => v.Forbidden) ? "true" : "false",
    });

    private static List<AuditAction> ModelActions(V1Alpha1MedicalModel? model, V1Alpha1MedicalModel? old, string operation)
    {
        var actions = new List<AuditAction>();
        if (operation == "CREATE" && model is not null)
        {
            var facts = Facts(("version", model.Spec.Version), ("digest", model.Spec.Source?.Digest),
                ("classification", model.Spec.DataClassification.ToString()), ("usage", model.Spec.Usage.ToString()));
            if (model.Metadata.Labels?.TryGetValue(TrainingWorkers.TrainedByLabel, out var job) == true)
            {
                facts["trainingJob"] = job;
                actions.Add(new("ModelRegistered", facts));
            }
            else
            {
                actions.Add(new("ModelCreated", facts));
            }
        }
        else if (operation == "UPDATE" && model is not null && old is not null)
        {
            if (ModelAuthorship.VersionChanged(old, model))
            {
                actions.Add(new("ModelVersionChanged", Facts(("version", model.Spec.Version), ("digest", model.Spec.Source?.Digest),
                    ("previousVersion", old.Spec.Version), ("previousDigest", old.Spec.Source?.Digest),
                    ("trainingJob", model.Spec.Source?.TrainingJobRef?.Name))));
            }
            actions.AddRange(new[]
            {
                Changed("ClassificationChanged", old.Spec.DataClassification, model.Spec.DataClassification),
                Changed("UsageChanged", old.Spec.Usage, model.Spec.Usage),
                Suspension(old.Spec.Suspend, model.Spec.Suspend),
            }.OfType<AuditAction>());
        }
        return actions;
    }

    private static List<AuditAction> ApprovalActions(AdmissionRequest request)
    {
        // The revoked approval is the stored one: its approver, not the person deleting it.
        var (action, approval) = request.Operation switch
        {
            "CREATE" => ("ApprovalGranted", Decode<V1Alpha1ModelApproval>(request.Object)),
            "DELETE" => ("ApprovalRevoked", Decode<V1Alpha1ModelApproval>(request.OldObject)),
            _ => ("", null),
        };
        if (approval is null)
        {
            // An UPDATE that was allowed changed metadata only: approvals are immutable.
            return [];
        }
        return [new(action, Facts(("model", approval.Spec.ModelName), ("version", approval.Spec.Version),
            ("digest", approval.Spec.Digest), ("approver", approval.Spec.Approver)))];
    }

    private static List<AuditAction> JobActions(V1Alpha1TrainingJob? job, V1Alpha1TrainingJob? old, string operation)
    {
        var actions = new List<AuditAction>();
        if (operation == "UPDATE" && job is not null && old is not null)
        {
            actions.AddRange(new[]
            {
                Changed("ClassificationChanged", old.Spec.DataClassification, job.Spec.DataClassification),
                Suspension(old.Spec.Suspend, job.Spec.Suspend),
            }.OfType<AuditAction>());
        }
        return actions;
    }

    private static List<AuditAction> WorkspaceActions(V1Alpha1Workspace? workspace, V1Alpha1Workspace? old, string operation)
    {
        var actions = new List<AuditAction>();
        if (workspace is null || operation is not ("CREATE" or "UPDATE"))
        {
            return actions;
        }
        if (old is not null && Changed("ClassificationChanged", old.Spec.DataClassification, workspace.Spec.DataClassification) is { } changed)
        {
            actions.Add(changed);
        }
        var wasRunning = old?.Spec.Running ?? false;
        if (workspace.Spec.Running != wasRunning)
        {
            actions.Add(new(workspace.Spec.Running ? "WorkspaceStarted" : "WorkspaceStopped",
                Facts(("classification", workspace.Spec.DataClassification.ToString()))));
        }
        return actions;
    }

    private static AuditAction? Changed<TValue>(string action, TValue from, TValue to)
        where TValue : struct, Enum =>
        EqualityComparer<TValue>.Default.Equals(from, to) ? null : new(action, Facts(("from", from.ToString()), ("to", to.ToString())));

    private static AuditAction? Suspension(bool before, bool after) =>
        before == after ? null : new(after ? "Suspended" : "Resumed", null);

    private static Dictionary<string, string> Facts(params (string Key, string? Value)[] facts) =>
        facts.Where(f => !string.IsNullOrEmpty(f.Value)).ToDictionary(f => f.Key, f => f.Value!, StringComparer.Ordinal);

    private static AuditObject Subject(AdmissionRequest request)
    {
        // A DELETE has no object: the stored one is what was deleted.
        var metadata = Metadata(request.Object) ?? Metadata(request.OldObject);
        return new AuditObject(request.Kind.Kind, request.Namespace, metadata?.Name ?? request.Name ?? "", metadata?.Uid, metadata?.Generation);
    }

    private static V1ObjectMeta? Metadata(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            ? metadata.Deserialize<V1ObjectMeta>(KubeJson.Options)
            : null;

    private static T? Decode<T>(JsonElement? element)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        element is { ValueKind: JsonValueKind.Object } value ? value.Deserialize<T>(KubeJson.Options) : null;

    private sealed record AuditAction(string Action, IReadOnlyDictionary<string, string>? Facts);
}
