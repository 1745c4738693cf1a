using System.Net;
using System.Reflection;

namespace MedOps.ModelInitializer.Downloads;

/// <summary>The HTTP client of https://, http:// and gs:// sources.</summary>
internal static class HttpClients
{
    /// <summary>
    /// A client with the policy's connect timeout and no overall timeout (a model may take an hour:
    /// the read timeout is per read). No decompression: Content-Length must count the bytes that
    /// are written. Redirects are followed; .NET drops the Authorization header on a redirect, so a
    /// token never follows it to another host (a presigned URL, a CDN).
    /// </summary>
    public static HttpClient Create(DownloadPolicy policy)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = policy.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
            UseCookies = false,
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd($"medops-model-initializer/{Version}");
        return client;
    }

    private static string Version { get; } =
        typeof(HttpClients).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
