using System.Text.Json.Nodes;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Approvals;
using MedOps.Runtime.Admission;

namespace MedOps.Controllers.Admission;

/// <summary>
/// Records who created a MedicalModel and who set its current version
/// (<see cref="ModelAuthorship"/>) from the request's authenticated user, as the API server
/// records a CertificateSigningRequest's requester: whatever the client sent is replaced, and an
/// annotation that nobody can know (the creator of a model stored before the webhook) is removed
/// rather than kept, so that a user cannot invent one.
/// </summary>
public sealed class MedicalModelMutator : AdmissionMutator<V1Alpha1MedicalModel>
{
    /// <inheritdoc />
    protected override Task<IReadOnlyList<JsonPatchOperation>> MutateAsync(AdmissionAttempt<V1Alpha1MedicalModel> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var (createdBy, versionSetBy) = ModelAuthorship.Expected(attempt);
        var expected = new[] { (Key: ModelAuthorship.CreatedByAnnotation, Value: createdBy), (Key: ModelAuthorship.VersionSetByAnnotation, Value: versionSetBy) };
        if (attempt.Object.Metadata.Annotations is not { } annotations)
        {
            // A pointer below /metadata/annotations fails when the map is missing: add it whole.
            var map = new JsonObject();
            foreach (var (key, value) in expected.Where(e => e.Value is not null))
            {
                map[key] = value;
            }
            return Task.FromResult<IReadOnlyList<JsonPatchOperation>>(map.Count == 0 ? [] : [JsonPatchOperation.Add("/metadata/annotations", map)]);
        }

        var operations = new List<JsonPatchOperation>();
        foreach (var (key, value) in expected)
        {
            var path = "/metadata/annotations/" + JsonPatchOperation.Escape(key);
            var present = annotations.TryGetValue(key, out var current);
            if (value is null)
            {
                if (present)
                {
                    operations.Add(JsonPatchOperation.Remove(path));
                }
            }
            else if (!present)
            {
                operations.Add(JsonPatchOperation.Add(path, value));
            }
            else if (!string.Equals(current, value, StringComparison.Ordinal))
            {
                operations.Add(JsonPatchOperation.Replace(path, value));
            }
        }
        return Task.FromResult<IReadOnlyList<JsonPatchOperation>>(operations);
    }
}
