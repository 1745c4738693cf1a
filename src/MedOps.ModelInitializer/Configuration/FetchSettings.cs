using MedOps.ModelInitializer.Digests;
using MedOps.ModelInitializer.Failures;
using MedOps.ModelInitializer.Sources;

namespace MedOps.ModelInitializer.Configuration;

/// <summary>What <c>fetch</c> was told by its environment (<see cref="EnvironmentNames"/>).</summary>
internal sealed record FetchSettings(
    ModelSource Source,
    string? Digest,
    string ModelDir,
    long MaxBytes,
    string? CredentialsDir,
    Uri? S3Endpoint,
    Uri GcsEndpoint,
    string Region)
{
    /// <summary>The default <c>MODEL_DIR</c>, where the operator mounts the model.</summary>
    public const string DefaultModelDir = "/mnt/models";

    /// <summary>The default <c>TERMINATION_LOG</c>: the kubelet's <c>terminationMessagePath</c>.</summary>
    public const string DefaultTerminationLog = "/dev/termination-log";

    /// <summary>The default S3 region.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>Google Cloud Storage's public endpoint.</summary>
    public static readonly Uri DefaultGcsEndpoint = new("https://storage.googleapis.com");

    /// <summary>
    /// Reads the settings; a malformed one is <see cref="FailureReason.InvalidSource"/>. An empty
    /// variable counts as unset, as Kubernetes writes <c>value: ""</c> for a missing field.
    /// </summary>
    public static FetchSettings Read(IReadOnlyDictionary<string, string> environment)
    {
        var source = ModelSourceParser.Parse(Get(environment, EnvironmentNames.ModelUri));
        var digest = Get(environment, EnvironmentNames.ModelDigest);
        if (digest is not null && !Sha256Digest.IsValid(digest))
        {
            throw Invalid($"MODEL_DIGEST \"{digest}\" is not sha256:<64 lower-case hex digits>");
        }
        var maxBytes = ByteSizes.DefaultMaxBytes;
        if (Get(environment, EnvironmentNames.ModelMaxBytes) is { } max)
        {
            maxBytes = ByteSizes.TryParse(max) ?? throw Invalid($"MODEL_MAX_BYTES \"{max}\" is not a positive byte count (like 1073741824 or 50Gi)");
        }
        return new FetchSettings(
            source,
            digest,
            Get(environment, EnvironmentNames.ModelDir) ?? DefaultModelDir,
            maxBytes,
            Get(environment, EnvironmentNames.CredentialsDir),
            Endpoint(environment, EnvironmentNames.S3Endpoint),
            Endpoint(environment, EnvironmentNames.GcsEndpoint) ?? DefaultGcsEndpoint,
            Get(environment, EnvironmentNames.AwsRegion) ?? DefaultRegion);
    }

    /// <summary>Where the termination message goes: read apart, so that it is known even when the rest is invalid.</summary>
    public static string TerminationLog(IReadOnlyDictionary<string, string> environment) =>
        Get(environment, EnvironmentNames.TerminationLog) ?? DefaultTerminationLog;

    /// <summary>A variable's value, null when unset or empty.</summary>
    public static string? Get(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private static Uri? Endpoint(IReadOnlyDictionary<string, string> environment, string name)
    {
        if (Get(environment, name) is not { } text)
        {
            return null;
        }
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? uri
            : throw Invalid($"{name} \"{text}\" is not an http:// or https:// URL");
    }

    private static FetchFailure Invalid(string detail) => new(FailureReason.InvalidSource, detail);
}
