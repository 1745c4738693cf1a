using System.Text.Json;
using System.Text.Json.Nodes;
using MedOps.Api.V1Alpha1;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// Sets a ModelApproval's <c>spec.approver</c> to the authenticated user who creates it, as the
/// API server sets a CertificateSigningRequest's <c>spec.username</c>: an approval names who
/// gave it, and nobody can give one in another person's name. On UPDATE the stored approver is
/// put back (approvals are immutable; the validator refuses any other spec change).
/// </summary>
public sealed class ModelApprovalMutator : AdmissionMutator<V1Alpha1ModelApproval>
{
    /// <inheritdoc />
    protected override Task<IReadOnlyList<JsonPatchOperation>> MutateAsync(AdmissionAttempt<V1Alpha1ModelApproval> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var approver = attempt.Old is { } old ? old.Spec.Approver : attempt.User.Username;
        var current = attempt.Object.Spec.Approver;
        if (string.Equals(current, approver, StringComparison.Ordinal))
        {
            return Task.FromResult<IReadOnlyList<JsonPatchOperation>>([]);
        }
        if (!HasSpec(attempt.Request))
        {
            // A pointer below /spec fails when there is none; the validator refuses the empty spec.
            return Task.FromResult<IReadOnlyList<JsonPatchOperation>>(approver is null
                ? []
                : [JsonPatchOperation.Add("/spec", new JsonObject { ["approver"] = approver })]);
        }
        const string path = "/spec/approver";
        JsonPatchOperation operation = approver is null ? JsonPatchOperation.Remove(path)
            : current is null ? JsonPatchOperation.Add(path, approver)
            : JsonPatchOperation.Replace(path, approver);
        return Task.FromResult<IReadOnlyList<JsonPatchOperation>>([operation]);
    }

    private static bool HasSpec(AdmissionRequest request) =>
        request.Object is { ValueKind: JsonValueKind.Object } obj
        && obj.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object;
}
