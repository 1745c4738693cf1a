using System.Text.Json;
using k8s;
using k8s.Models;
using MedOps.Runtime.Api;

namespace MedOps.Runtime.Admission;

/// <summary>
/// A validator over typed objects: the request's <c>object</c> and <c>oldObject</c> decoded into
/// <typeparamref name="T"/>, with the identity and operation alongside.
/// </summary>
public abstract class AdmissionValidator<T> : IAdmissionValidator
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceType type = ResourceType.For<T>();

    /// <inheritdoc />
    public string Group => type.Group;

    /// <inheritdoc />
    public string Kind => type.Kind;

    /// <inheritdoc />
    public Task<AdmissionVerdict> ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation == "DELETE")
        {
            var stored = Decode(request.OldObject) ?? throw new JsonException("the DELETE request has no oldObject");
            return ValidateDeleteAsync(request, stored, cancellationToken);
        }
        var obj = Decode(request.Object) ?? throw new JsonException($"the {request.Operation} request has no object");
        var attempt = new AdmissionAttempt<T>(request, obj, Decode(request.OldObject));
        return ValidateAsync(attempt, cancellationToken);
    }

    /// <summary>Decides on a DELETE of <paramref name="stored"/>, for the kinds whose webhook rules send DELETE. Allowed by default.</summary>
    protected virtual Task<AdmissionVerdict> ValidateDeleteAsync(AdmissionRequest request, T stored, CancellationToken cancellationToken) =>
        Task.FromResult(AdmissionVerdict.Allow);

    /// <summary>Decides on one CREATE (<see cref="AdmissionAttempt{T}.Old"/> null) or UPDATE.</summary>
    protected abstract Task<AdmissionVerdict> ValidateAsync(AdmissionAttempt<T> attempt, CancellationToken cancellationToken);

    private static T? Decode(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } value ? value.Deserialize<T>(KubeJson.Options) : null;
}

/// <summary>One request, typed.</summary>
/// <param name="Request">The raw request: user, namespace, operation, dry run.</param>
/// <param name="Object">The object as it would be stored.</param>
/// <param name="Old">The stored object on UPDATE; null on CREATE.</param>
public sealed record AdmissionAttempt<T>(AdmissionRequest Request, T Object, T? Old)
{
    /// <summary>True for an UPDATE.</summary>
    public bool IsUpdate => Old is not null;

    /// <summary>The authenticated user who asks.</summary>
    public AdmissionUser User => Request.UserInfo;
}
