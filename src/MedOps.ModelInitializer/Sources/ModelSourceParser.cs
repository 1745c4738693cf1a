using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Sources;

/// <summary>
/// Parses <c>MODEL_URI</c>, without I/O. The schemes are those of <c>spec.source.uri</c> (lower
/// case) plus <c>http://</c>, for stores inside the cluster. Anything else is
/// <see cref="FailureReason.InvalidSource"/>.
/// </summary>
internal static class ModelSourceParser
{
    private const string Shapes = "use https://<host>/<path>, s3://<bucket>/<key>, gs://<bucket>/<object> or pvc://<claim>/<path>";

    /// <summary>The source <paramref name="uri"/> names; throws <see cref="FetchFailure"/> when it is malformed.</summary>
    public static ModelSource Parse(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            throw Invalid($"MODEL_URI is not set: {Shapes}");
        }
        if (uri.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Invalid($"MODEL_URI \"{uri}\" contains blanks or control characters");
        }
        if (uri.StartsWith("https://", StringComparison.Ordinal) || uri.StartsWith("http://", StringComparison.Ordinal))
        {
            return Http(uri);
        }
        if (uri.StartsWith("s3://", StringComparison.Ordinal))
        {
            var (bucket, key) = Bucket(uri, "s3://");
            return new S3Source(bucket, key);
        }
        if (uri.StartsWith("gs://", StringComparison.Ordinal))
        {
            var (bucket, name) = Bucket(uri, "gs://");
            return new GcsSource(bucket, name);
        }
        if (uri.StartsWith("pvc://", StringComparison.Ordinal))
        {
            return Pvc(uri);
        }
        throw Invalid($"MODEL_URI \"{uri}\" has an unsupported scheme: {Shapes} (lower case)");
    }

    private static HttpSource Http(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var url) || url.Host.Length == 0)
        {
            throw Invalid($"MODEL_URI \"{uri}\" is not a valid URL: use https://<host>/<path>");
        }
        if (url.UserInfo.Length > 0)
        {
            // The URI is in the pod spec for everyone with read access to see: no secrets in it.
            throw Invalid($"MODEL_URI {url.Scheme}://{url.Authority}{url.AbsolutePath} carries credentials: put a token file in MODEL_CREDENTIALS_DIR instead");
        }
        var path = url.AbsolutePath;
        var name = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        if (name is "" or "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Any(char.IsControl))
        {
            throw Invalid($"MODEL_URI {url.GetLeftPart(UriPartial.Path)} names no file: its path must end with the file's name");
        }
        return new HttpSource(url, name);
    }

    private static (string Bucket, string Key) Bucket(string uri, string prefix)
    {
        var rest = uri[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0 || !bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw Invalid($"MODEL_URI \"{uri}\" names no valid bucket: use {prefix}<bucket>/<key>");
        }
        return (bucket, slash < 0 ? "" : rest[(slash + 1)..]);
    }

    private static PvcSource Pvc(string uri)
    {
        var rest = uri["pvc://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var claim = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..].TrimEnd('/');
        if (claim.Length == 0)
        {
            throw Invalid($"MODEL_URI \"{uri}\" names no claim: use pvc://<claim>/<path>");
        }
        if (path.Length > 0 && path.Split('/').Any(e => e is "" or "." or ".."))
        {
            throw Invalid($"MODEL_URI \"{uri}\" has an empty, '.' or '..' path element: the path must stay inside the claim");
        }
        return new PvcSource(claim, path);
    }

    private static FetchFailure Invalid(string detail) => new(FailureReason.InvalidSource, detail);
}
