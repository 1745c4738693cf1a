using System.Net.Http.Headers;
using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Downloads;

/// <summary>Requests that carry the Bearer token of <c>MODEL_CREDENTIALS_DIR</c>, when there is one.</summary>
internal static class AuthorizedRequest
{
    /// <summary>
    /// A GET of <paramref name="url"/>. A token goes over https, or over plain http to a loopback
    /// address only: anywhere else anyone on the path could read it.
    /// </summary>
    public static HttpRequestMessage Get(Uri url, string? bearerToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearerToken is not null)
        {
            if (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)
            {
                throw new FetchFailure(FailureReason.InvalidSource,
                    $"{url.GetLeftPart(UriPartial.Path)} is plain http: the token of MODEL_CREDENTIALS_DIR is only sent over https");
            }
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }
        return request;
    }
}
