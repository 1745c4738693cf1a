using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace MedOps.Testing.Servers;

/// <summary>
/// A minimal S3 for the real AWSSDK.S3 client, path-style: HeadObject, GetObject and
/// ListObjectsV2 (paged, with continuation tokens) on one bucket, with the errors S3 gives.
/// </summary>
public sealed class FakeS3Server : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private FakeS3Server(LoopbackServer server) => _server = server;

    public const string Bucket = "models";

    /// <summary>The bucket's objects by key.</summary>
    public Dictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, a request must be signed with this access key id, else 403 AccessDenied.</summary>
    public string? RequiredAccessKeyId { get; set; }

    /// <summary>Keys answered with 403 (an object the caller may not read).</summary>
    public HashSet<string> Forbidden { get; } = new(StringComparer.Ordinal);

    /// <summary>Objects per listing page: small, so that a prefix needs several pages.</summary>
    public int PageSize { get; set; } = 2;

    public Uri Endpoint => _server.Address;

    public IReadOnlyCollection<RecordedRequest> Requests => _server.Requests;

    /// <summary>Starts it on 127.0.0.1, or on <paramref name="address"/> (one of this machine's own).</summary>
    public static async Task<FakeS3Server> StartAsync(System.Net.IPAddress? address = null)
    {
        FakeS3Server? fake = null;
        var server = await LoopbackServer.StartAsync(context => fake!.HandleAsync(context), address);
        fake = new FakeS3Server(server);
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var rest = path.TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket != Bucket)
        {
            await ErrorAsync(context, 404, "NoSuchBucket");
            return;
        }
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (RequiredAccessKeyId is { } id && (authorization is null || !authorization.Contains($"Credential={id}/", StringComparison.Ordinal)))
        {
            await ErrorAsync(context, 403, "AccessDenied");
            return;
        }
        if (key.Length == 0 && context.Request.Query["list-type"] == "2")
        {
            await ListAsync(context);
            return;
        }
        if (Silent.Contains(key))
        {
            await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted).ContinueWith(_ => { });
        }
        if (Forbidden.Contains(key))
        {
            await ErrorAsync(context, 403, "AccessDenied");
            return;
        }
        if (!Objects.TryGetValue(key, out var content))
        {
            await ErrorAsync(context, 404, "NoSuchKey");
            return;
        }
        context.Response.ContentLength = content.Length;
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ETag = ETag(content);
        context.Response.Headers.LastModified = "Mon, 01 Jan 2024 00:00:00 GMT";
        if (HttpMethods.IsGet(context.Request.Method))
        {
            if (CorruptTimes.TryGetValue(key, out var times) && times > 0)
            {
                CorruptTimes[key] = times - 1;
                content = [.. content];
                content[0] ^= 0xFF;
            }
            if (Slow.Contains(key))
            {
                foreach (var chunk in content.Chunk(Math.Max(1, content.Length / 8)))
                {
                    await context.Response.Body.WriteAsync(chunk);
                    await context.Response.Body.FlushAsync();
                    await Task.Delay(SlowGap);
                }
                return;
            }
            await context.Response.Body.WriteAsync(content);
        }
    }

    private async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var prefix = query["prefix"].FirstOrDefault() ?? "";
        var encode = query["encoding-type"] == "url";
        var start = int.TryParse(query["continuation-token"].FirstOrDefault(), CultureInfo.InvariantCulture, out var token) ? token : 0;
        var keys = Objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))
            .ToList();
        var page = keys.Skip(start).Take(PageSize).ToList();
        var truncated = start + page.Count < keys.Count;
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
            .Append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
            .Append(CultureInfo.InvariantCulture, $"<Name>{Bucket}</Name><Prefix>{Escape(prefix, encode)}</Prefix><KeyCount>{page.Count}</KeyCount>")
            .Append(CultureInfo.InvariantCulture, $"<MaxKeys>1000</MaxKeys><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated>");
        if (encode)
        {
            xml.Append("<EncodingType>url</EncodingType>");
        }
        foreach (var key in page)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<Contents><Key>{Escape(key, encode)}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>")
                .Append(CultureInfo.InvariantCulture, $"<ETag>{SecurityElement.Escape(ETag(Objects[key]))}</ETag><Size>{Objects[key].Length}</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        if (truncated)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<NextContinuationToken>{start + page.Count}</NextContinuationToken>");
        }
        xml.Append("</ListBucketResult>");
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(xml.ToString());
    }

    /// <summary>Keys answered only after 3 s.</summary>
    public HashSet<string> Silent { get; } = new(StringComparer.Ordinal);

    /// <summary>The pause between two pieces of a <see cref="Slow"/> body.</summary>
    public static readonly TimeSpan SlowGap = TimeSpan.FromMilliseconds(500);

    /// <summary>Keys whose body comes in eight pieces <see cref="SlowGap"/> apart.</summary>
    public HashSet<string> Slow { get; } = new(StringComparer.Ordinal);

    /// <summary>Corrupts the body of a key on the way, as a broken proxy would, this many times.</summary>
    public Dictionary<string, int> CorruptTimes { get; } = new(StringComparer.Ordinal);

    // As S3 gives for objects not uploaded in parts: the MD5, which the SDK checks the body against.
    private static string ETag(byte[] content) => $"\"{Convert.ToHexStringLower(MD5.HashData(content))}\"";

    private static string Escape(string value, bool urlEncode) =>
        SecurityElement.Escape(urlEncode ? Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal) : value);

    private static async Task ErrorAsync(HttpContext context, int status, string code)
    {
        context.Response.StatusCode = status;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code}</Message><RequestId>1</RequestId></Error>");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
