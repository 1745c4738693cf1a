using System.Net;
using k8s.Models;

namespace MedOps.Runtime.Api;

/// <summary>A non-success answer of the apiserver, with its Status object when it sent one.</summary>
public sealed class KubeApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KubeApiException(HttpStatusCode statusCode, V1Status? status, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Status = status;
    }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The apiserver's Status body, if any.</summary>
    public V1Status? Status { get; }

    /// <summary>409: an optimistic-concurrency conflict or an object that already exists.</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    /// <summary>404: the object, or the whole resource type, is not there.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>410: the requested resourceVersion is too old (compacted).</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    /// <summary>
    /// True when the API server refused the request itself (400, 403, 422: validation, RBAC, an
    /// admission webhook): sending it again unchanged cannot succeed.
    /// </summary>
    public bool IsRefusal => StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity;
}
