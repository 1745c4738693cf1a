using System.Text.Json;
using k8s;
using k8s.Models;
using MedOps.Runtime.Api;

namespace MedOps.Runtime.Admission;

/// <summary>A mutator over typed objects: the request's <c>object</c> and <c>oldObject</c> decoded into <typeparamref name="T"/>.</summary>
public abstract class AdmissionMutator<T> : IAdmissionMutator
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceType type = ResourceType.For<T>();

    /// <inheritdoc />
    public string Group => type.Group;

    /// <inheritdoc />
    public string Kind => type.Kind;

    /// <inheritdoc />
    public Task<IReadOnlyList<JsonPatchOperation>> MutateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation is not ("CREATE" or "UPDATE"))
        {
            return Task.FromResult<IReadOnlyList<JsonPatchOperation>>([]);
        }
        var obj = Decode(request.Object) ?? throw new JsonException($"the {request.Operation} request has no object");
        return MutateAsync(new AdmissionAttempt<T>(request, obj, Decode(request.OldObject)), cancellationToken);
    }

    /// <summary>The changes for one CREATE (<see cref="AdmissionAttempt{T}.Old"/> null) or UPDATE.</summary>
    protected abstract Task<IReadOnlyList<JsonPatchOperation>> MutateAsync(AdmissionAttempt<T> attempt, CancellationToken cancellationToken);

    private static T? Decode(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } value ? value.Deserialize<T>(KubeJson.Options) : null;
}
