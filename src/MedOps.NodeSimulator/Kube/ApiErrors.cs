using System.Net;
using k8s.Autorest;

namespace MedOps.NodeSimulator.Kube;

/// <summary>Classifies API failures the simulator treats as normal outcomes rather than errors.</summary>
internal static class ApiErrors
{
    public static HttpStatusCode? StatusOf(Exception exception) =>
        exception is HttpOperationException { Response: { } response } ? response.StatusCode : null;

    public static bool IsNotFound(Exception exception) => StatusOf(exception) == HttpStatusCode.NotFound;

    public static bool IsConflict(Exception exception) => StatusOf(exception) == HttpStatusCode.Conflict;

    public static bool IsAlreadyExists(Exception exception) => IsConflict(exception);

    /// <summary>A create refused because its namespace is being deleted (403 with that cause).</summary>
    public static bool IsNamespaceTerminating(Exception exception) =>
        exception is HttpOperationException { Response: { StatusCode: HttpStatusCode.Forbidden } response }
        && response.Content?.Contains("because it is being terminated", StringComparison.Ordinal) == true;

    /// <summary>A one-line description for logs: the status code and the server's message when there is one.</summary>
    public static string Describe(Exception exception)
    {
        if (exception is HttpOperationException { Response: { } response })
        {
            var body = response.Content;
            if (body is { Length: > 300 })
            {
                body = body[..300] + "…";
            }

            return $"{(int)response.StatusCode} {response.StatusCode}: {body?.ReplaceLineEndings(" ")}";
        }

        return $"{exception.GetType().Name}: {exception.Message}";
    }
}
