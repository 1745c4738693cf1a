using System.Text.Json;
using MedOps.ModelInitializer.Downloads;
using MedOps.ModelInitializer.Paths;
using MedOps.ModelInitializer.Sources;

namespace MedOps.ModelInitializer.Fetchers;

/// <summary>
/// gs://: Google Cloud Storage's JSON API (<c>GCS_ENDPOINT</c>, by default
/// https://storage.googleapis.com), anonymous or with the Bearer token. An object name that
/// names an object is one file; one ending with '/' or naming no object is a prefix.
/// </summary>
internal sealed class GcsFetcher(HttpClient client, HttpDownloader downloader, FetchContext context)
{
    /// <summary>Downloads the object or prefix; returns what the digest covers.</summary>
    public async Task<string> FetchAsync(GcsSource source, CancellationToken cancellationToken)
    {
        var name = source.ObjectName;
        if (name.Length > 0 && !name.EndsWith('/') && await SizeAsync(source, name, cancellationToken) is { } size)
        {
            var file = new PlannedFile(name, RelativePaths.Check(RelativePaths.FileName(name), source.Display), size);
            return await DownloadAsync(source, file, cancellationToken);
        }
        var prefix = name.Length == 0 || name.EndsWith('/') ? name : name + "/";
        var files = ObjectTree.Plan(source.Display, prefix, await ListAsync(source, prefix, cancellationToken), context.Budget);
        foreach (var file in files)
        {
            await DownloadAsync(source, file, cancellationToken);
        }
        return context.Directory.Root;
    }

    private async Task<string> DownloadAsync(GcsSource source, PlannedFile file, CancellationToken cancellationToken)
    {
        var destination = context.Directory.PrepareFile(file.RelativePath);
        var display = $"gs://{source.Bucket}/{file.Key}";
        if (file.Size > context.Budget.Remaining)
        {
            throw context.Budget.TooLarge(display, file.Size);
        }
        var media = new Uri(ObjectUrl(source.Bucket, file.Key) + "?alt=media");
        await downloader.DownloadAsync(media, display, context.Credentials.BearerToken, context.Directory, destination, context.Budget, cancellationToken);
        return destination;
    }

    private async Task<long?> SizeAsync(GcsSource source, string name, CancellationToken cancellationToken)
    {
        using var metadata = await GetJsonAsync(new Uri(ObjectUrl(source.Bucket, name)), source.Display, notFoundIsNull: true, cancellationToken);
        return metadata is null ? null : Size(metadata.RootElement);
    }

    private async Task<List<RemoteObject>> ListAsync(GcsSource source, string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<RemoteObject>();
        string? pageToken = null;
        do
        {
            var query = $"?prefix={Uri.EscapeDataString(prefix)}" + (pageToken is null ? "" : $"&pageToken={Uri.EscapeDataString(pageToken)}");
            using var page = await GetJsonAsync(new Uri($"{Endpoint}/storage/v1/b/{Uri.EscapeDataString(source.Bucket)}/o{query}"), source.Display, notFoundIsNull: false, cancellationToken);
            var root = page!.RootElement;
            if (root.TryGetProperty("items", out var items))
            {
                objects.AddRange(items.EnumerateArray().Select(item => new RemoteObject(item.GetProperty("name").GetString() ?? "", Size(item))));
            }
            pageToken = root.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
        }
        while (pageToken is { Length: > 0 });
        return objects;
    }

    private Task<JsonDocument?> GetJsonAsync(Uri url, string display, bool notFoundIsNull, CancellationToken cancellationToken) =>
        context.Runner.RunAsync(display, async attemptToken =>
        {
            using var request = AuthorizedRequest.Get(url, context.Credentials.BearerToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(attemptToken);
            timeout.CancelAfter(context.Runner.Policy.ReadTimeout);
            try
            {
                using var response = await client.SendAsync(request, timeout.Token);
                if (notFoundIsNull && (int)response.StatusCode == 404)
                {
                    return null;
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw new AttemptException(HttpFailures.Status(response, context.Time.GetUtcNow()));
                }
                return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), default, timeout.Token);
            }
            catch (HttpRequestException exception)
            {
                throw new AttemptException(HttpFailures.Connection(exception), exception);
            }
            catch (OperationCanceledException exception) when (!attemptToken.IsCancellationRequested)
            {
                throw new AttemptException(new AttemptFailure(AttemptFailureKind.Timeout, "no answer within the read timeout"), exception);
            }
        }, cancellationToken);

    private string Endpoint => context.Settings.GcsEndpoint.ToString().TrimEnd('/');

    private string ObjectUrl(string bucket, string name) =>
        $"{Endpoint}/storage/v1/b/{Uri.EscapeDataString(bucket)}/o/{Uri.EscapeDataString(name)}";

    // The JSON API writes sizes as strings (they may pass 2^53).
    private static long Size(JsonElement item) =>
        item.TryGetProperty("size", out var size) && long.TryParse(size.ValueKind == JsonValueKind.String ? size.GetString() : size.GetRawText(), out var value)
            ? value
            : 0;
}
