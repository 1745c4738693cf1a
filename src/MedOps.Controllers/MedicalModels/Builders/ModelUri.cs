using System.Diagnostics.CodeAnalysis;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.MedicalModels.Builders;

/// <summary>The storage schemes a model can be read from.</summary>
public enum ModelUriScheme
{
    /// <summary><c>pvc://&lt;claim&gt;/&lt;path&gt;</c>: a PersistentVolumeClaim in the model's namespace, mounted directly.</summary>
    Pvc,

    /// <summary><c>s3://&lt;bucket&gt;/&lt;key&gt;</c>: downloaded by the model initializer.</summary>
    S3,

    /// <summary><c>gs://&lt;bucket&gt;/&lt;object&gt;</c>: downloaded by the model initializer.</summary>
    Gcs,

    /// <summary><c>https://&lt;host&gt;/&lt;path&gt;</c>: downloaded by the model initializer.</summary>
    Https,
}

/// <summary>A folder inside a PersistentVolumeClaim.</summary>
/// <param name="ClaimName">The claim, in the model's namespace.</param>
/// <param name="Path">
/// The folder relative to the claim's root, without leading or trailing '/'; empty for the whole
/// claim (as KServe's <c>pvc://&lt;claim&gt;</c> and a TrainingJob with an empty output path give).
/// </param>
public sealed record PvcLocation(string ClaimName, string Path);

/// <summary>A model URI that <see cref="ModelUri.TryParse"/> accepted.</summary>
/// <param name="Uri">The URI as written.</param>
/// <param name="Scheme">Its scheme.</param>
/// <param name="Pvc">The claim and folder for <see cref="ModelUriScheme.Pvc"/>; null otherwise.</param>
public sealed record ParsedModelUri(string Uri, ModelUriScheme Scheme, PvcLocation? Pvc);

/// <summary>
/// Parses <c>spec.source.uri</c> (and a TrainingJob's <c>status.outputUri</c>) without I/O:
/// <c>pvc://&lt;claim&gt;[/&lt;path&gt;]</c> (claim a DNS-1123 name; path relative, no <c>..</c>
/// element, no empty element), <c>s3://&lt;bucket&gt;[/&lt;key&gt;]</c>,
/// <c>gs://&lt;bucket&gt;[/&lt;object&gt;]</c> and <c>https://&lt;host&gt;/…</c>. The URI may not
/// contain blanks or control characters. Schemes are lower case, as the CRD pattern has them.
/// </summary>
public static class ModelUri
{
    /// <summary>The prefix of claim URIs.</summary>
    public const string PvcPrefix = "pvc://";

    /// <summary>The prefix of S3 URIs.</summary>
    public const string S3Prefix = "s3://";

    /// <summary>The prefix of Google Cloud Storage URIs.</summary>
    public const string GcsPrefix = "gs://";

    /// <summary>The prefix of HTTPS URIs.</summary>
    public const string HttpsPrefix = "https://";

    /// <summary>
    /// Parses <paramref name="uri"/>. On failure, <paramref name="error"/> says what is wrong and
    /// what a valid URI looks like, as a sentence without a field name, for example
    /// <c>"pvc://Models/x" names the claim "Models", which is not a valid claim name (lower-case letters, digits, '-' and '.')</c>.
    /// </summary>
    public static bool TryParse(
        string? uri,
        [NotNullWhen(true)] out ParsedModelUri? parsed,
        [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        error = Check(uri, out var scheme, out var pvc);
        if (error is not null)
        {
            return false;
        }
        parsed = new ParsedModelUri(uri!, scheme, pvc);
        return true;
    }

    private static string? Check(string? uri, out ModelUriScheme scheme, out PvcLocation? pvc)
    {
        scheme = default;
        pvc = null;
        if (string.IsNullOrEmpty(uri))
        {
            return "the URI is empty: use pvc://<claim>/<path>, s3://<bucket>/<key>, gs://<bucket>/<object> or https://<host>/<path>";
        }
        if (uri.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return $"\"{uri}\" contains blanks or control characters";
        }
        if (uri.StartsWith(PvcPrefix, StringComparison.Ordinal))
        {
            scheme = ModelUriScheme.Pvc;
            return CheckPvc(uri, out pvc);
        }
        if (uri.StartsWith(S3Prefix, StringComparison.Ordinal))
        {
            scheme = ModelUriScheme.S3;
            return CheckBucket(uri, S3Prefix, "s3://<bucket>/<key>");
        }
        if (uri.StartsWith(GcsPrefix, StringComparison.Ordinal))
        {
            scheme = ModelUriScheme.Gcs;
            return CheckBucket(uri, GcsPrefix, "gs://<bucket>/<object>");
        }
        if (uri.StartsWith(HttpsPrefix, StringComparison.Ordinal))
        {
            scheme = ModelUriScheme.Https;
            return System.Uri.TryCreate(uri, UriKind.Absolute, out var https) && https.Scheme == System.Uri.UriSchemeHttps && https.Host.Length > 0
                ? null
                : $"\"{uri}\" is not a valid https:// URL: use https://<host>/<path>";
        }
        return $"\"{uri}\" has an unsupported scheme: use pvc://<claim>/<path>, s3://<bucket>/<key>, gs://<bucket>/<object> or https://<host>/<path> (lower case)";
    }

    private static string? CheckPvc(string uri, out PvcLocation? pvc)
    {
        pvc = null;
        var rest = uri[PvcPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var claim = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..].TrimEnd('/');
        if (claim.Length == 0)
        {
            return $"\"{uri}\" names no claim: use pvc://<claim>/<path>";
        }
        if (!KubernetesNames.IsDns1123Subdomain(claim))
        {
            return $"\"{uri}\" names the claim \"{claim}\", which is not a valid claim name (lower-case letters, digits, '-' and '.', at most 253): use pvc://<claim>/<path>";
        }
        var elements = path.Length == 0 ? [] : path.Split('/');
        if (elements.Any(e => e.Length == 0))
        {
            return $"\"{uri}\" has an empty path element ('//'): write the path inside the claim as <folder>/<folder>";
        }
        if (elements.Any(e => e == ".."))
        {
            return $"\"{uri}\" has a '..' path element: the path must stay inside the claim";
        }
        pvc = new PvcLocation(claim, path);
        return null;
    }

    private static string? CheckBucket(string uri, string prefix, string shape)
    {
        var rest = uri[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        return bucket.Length == 0 ? $"\"{uri}\" names no bucket: use {shape}" : null;
    }
}
