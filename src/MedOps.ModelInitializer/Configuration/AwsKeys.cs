namespace MedOps.ModelInitializer.Configuration;

/// <summary>An S3 key pair, with a session token for temporary keys.</summary>
internal sealed record AwsKeys(string AccessKeyId, string SecretAccessKey, string? SessionToken)
{
    /// <summary>Names the key id only: a record's generated ToString would print the secret.</summary>
    public override string ToString() => $"AwsKeys {{ AccessKeyId = {AccessKeyId} }}";
}
