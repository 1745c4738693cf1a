using MedOps.ModelInitializer.Failures;

namespace MedOps.ModelInitializer.Configuration;

/// <summary>The credentials of a store, from <c>MODEL_CREDENTIALS_DIR</c> or the environment.</summary>
/// <param name="BearerToken">The <c>token</c> file's content, for https:// and gs://.</param>
/// <param name="Aws">The S3 keys; null for anonymous requests.</param>
internal sealed record StoreCredentials(string? BearerToken, AwsKeys? Aws)
{
    /// <summary>
    /// Reads the credentials: the folder's files first (a mounted Secret's keys), then the
    /// variables of the same names. A value is trimmed: <c>kubectl create secret --from-file</c>
    /// keeps the file's final newline.
    /// </summary>
    public static StoreCredentials Read(string? directory, IReadOnlyDictionary<string, string> environment)
    {
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new FetchFailure(FailureReason.InvalidSource, $"MODEL_CREDENTIALS_DIR {directory} is not a folder");
        }
        string? Value(string name, bool fromEnvironment)
        {
            var file = directory is null ? null : Path.Join(directory, name);
            if (file is not null && File.Exists(file))
            {
                return File.ReadAllText(file).Trim() is { Length: > 0 } content ? content : null;
            }
            return fromEnvironment ? FetchSettings.Get(environment, name)?.Trim() : null;
        }

        var token = Value(EnvironmentNames.TokenFile, fromEnvironment: false);
        var keyId = Value(EnvironmentNames.AwsAccessKeyId, fromEnvironment: true);
        var secret = Value(EnvironmentNames.AwsSecretAccessKey, fromEnvironment: true);
        if ((keyId is null) != (secret is null))
        {
            throw new FetchFailure(FailureReason.InvalidSource,
                $"only one of {EnvironmentNames.AwsAccessKeyId} and {EnvironmentNames.AwsSecretAccessKey} is set: give both, or neither for anonymous requests");
        }
        var aws = keyId is null ? null : new AwsKeys(keyId, secret!, Value(EnvironmentNames.AwsSessionToken, fromEnvironment: true));
        return new StoreCredentials(token, aws);
    }

    /// <summary>Says what is there, never a secret: a record's generated ToString would print the token.</summary>
    public override string ToString() => $"StoreCredentials {{ BearerToken = {(BearerToken is null ? "none" : "set")}, Aws = {Aws?.ToString() ?? "none"} }}";
}
