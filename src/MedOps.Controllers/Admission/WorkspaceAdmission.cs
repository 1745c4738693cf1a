using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;
using MedOps.Controllers.Workspaces.Validation;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// Admission of Workspaces: the validator's shape rules, a disk that never shrinks and keeps
/// its StorageClass, a legal hold that only <c>release-hold</c> lifts and that freezes the disk,
/// and the guardrails: no lowering of the classification without <c>declassify</c>, and a PHI
/// disk on an allowed (encrypted) StorageClass.
/// </summary>
public sealed class WorkspaceAdmission(GuardrailSettings settings, IAdmissionLookups lookups, IAccessReviewer reviewer)
    : AdmissionValidator<V1Alpha1Workspace>
{
    /// <inheritdoc />
    protected override async Task<AdmissionVerdict> ValidateAsync(AdmissionAttempt<V1Alpha1Workspace> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var workspace = attempt.Object;
        var spec = workspace.Spec;
        if (attempt.Old is { } held && LegalHolds.FinalizerRemoved(held, workspace) is { } unprotected)
        {
            // Before the unchanged-spec shortcut: removing the finalizer changes only metadata.
            return AdmissionVerdict.From([unprotected]);
        }
        if (attempt.Old is { } old && AdmissionRules.SpecUnchanged(old.Spec, spec))
        {
            return AdmissionVerdict.Allow;
        }

        var violations = AdmissionRules.Violations(WorkspaceValidator.Problems(workspace)).ToList();
        if (attempt.Old is { } before)
        {
            violations.AddIfAny(await LegalHolds.CheckReleaseAsync(attempt.Request, before, workspace, reviewer, cancellationToken).ConfigureAwait(false));
            violations.AddRange(LegalHolds.FrozenChanges(before, workspace));
        }
        var storageChanged = true;
        if (attempt.Old is { } previous)
        {
            violations.AddIfAny(await Declassification.CheckAsync(attempt.Request, previous.Spec.DataClassification, spec.DataClassification,
                V1Alpha1Workspace.KubePluralName, reviewer, cancellationToken).ConfigureAwait(false));
            violations.AddIfAny(CheckShrink(previous.Spec.Disk?.Size, spec.Disk?.Size));
            var previousClass = previous.Spec.Disk?.StorageClassName ?? "";
            var nextClass = spec.Disk?.StorageClassName ?? "";
            if (!string.Equals(previousClass, nextClass, StringComparison.Ordinal))
            {
                violations.Add(AdmissionRules.Immutable("spec.disk.storageClassName", "the disk already exists on its StorageClass"));
            }
            storageChanged = previous.Spec.DataClassification != spec.DataClassification;
        }
        if (storageChanged)
        {
            violations.AddIfAny(await PhiStorage.CheckAsync("spec.disk.storageClassName", "the disk", spec.Disk?.StorageClassName,
                spec.DataClassification, settings, lookups, cancellationToken).ConfigureAwait(false));
        }
        return AdmissionVerdict.From(violations);
    }

    /// <summary>
    /// A held workspace cannot be deleted at all; a retained one not with foreground cascading,
    /// which would delete its disk before the operator can keep it (the finalizer is the
    /// backstop for deletes that do not pass the webhook).
    /// </summary>
    protected override Task<AdmissionVerdict> ValidateDeleteAsync(AdmissionRequest request, V1Alpha1Workspace stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stored);
        if (Workspaces.WorkspaceRetention.IsHeld(stored))
        {
            return Task.FromResult(AdmissionVerdict.From([new FieldViolation(LegalHolds.Field,
                $"{LegalHolds.Field}: the workspace is under legal hold \"{stored.Spec.LegalHold}\" and cannot be deleted; remove the hold first (needs the \"{LegalHolds.Verb}\" permission)",
                Forbidden: true)]));
        }
        var foreground = request.Options is { ValueKind: System.Text.Json.JsonValueKind.Object } options
            && options.TryGetProperty("propagationPolicy", out var policy) && policy.ValueKind == System.Text.Json.JsonValueKind.String
            && policy.GetString() == "Foreground";
        if (foreground && stored.Spec.Disk?.ReclaimPolicy == DiskReclaimPolicy.Retain)
        {
            return Task.FromResult(AdmissionVerdict.From([new FieldViolation("spec.disk.reclaimPolicy",
                "spec.disk.reclaimPolicy: the disk is retained, and foreground deletion would delete it before the operator can keep it; delete the workspace with --cascade=background (the default)",
                Forbidden: true)]));
        }
        return Task.FromResult(AdmissionVerdict.Allow);
    }

    private static FieldViolation? CheckShrink(string? before, string? after)
    {
        if (!KubernetesQuantity.TryParse(before, out _, out var previous) || !KubernetesQuantity.TryParse(after, out _, out var next) || next >= previous)
        {
            return null;
        }
        return new FieldViolation("spec.disk.size",
            $"spec.disk.size: {after} is smaller than the disk's {before}: a disk cannot shrink (its data would not fit); keep {before} or more");
    }
}
