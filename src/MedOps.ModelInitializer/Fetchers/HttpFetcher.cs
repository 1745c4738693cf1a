using MedOps.ModelInitializer.Downloads;
using MedOps.ModelInitializer.Paths;
using MedOps.ModelInitializer.Sources;

namespace MedOps.ModelInitializer.Fetchers;

/// <summary>https:// and http://: one file, <c>&lt;MODEL_DIR&gt;/&lt;file name of the URL's path&gt;</c>.</summary>
internal static class HttpFetcher
{
    /// <summary>Downloads the file; returns its path (what the digest covers).</summary>
    public static async Task<string> FetchAsync(HttpSource source, FetchContext context, HttpDownloader downloader, CancellationToken cancellationToken)
    {
        var name = RelativePaths.Check(source.FileName, source.Display);
        var destination = context.Directory.PrepareFile(name);
        await downloader.DownloadAsync(source.Url, source.Display, context.Credentials.BearerToken, context.Directory, destination, context.Budget, cancellationToken);
        return destination;
    }
}
