namespace MedOps.Api.V1Alpha1;

/// <summary>
/// Regular expressions for the CRD schema, in RE2 syntax (the API server evaluates them with Go).
/// They mirror Kubernetes' own name validation, so a value accepted here is also accepted when
/// the operator copies it into a pod, volume or VirtualMachine.
/// </summary>
internal static class ValidationPatterns
{
    private const string Label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Subdomain = Label + @"(\." + Label + ")*";

    /// <summary>A DNS-1123 subdomain: object names such as PersistentVolumeClaims and custom resources.</summary>
    public const string Dns1123Subdomain = "^" + Subdomain + "$";

    /// <summary>A DNS-1123 subdomain or the empty string (the field is optional and "" means unset).</summary>
    public const string OptionalDns1123Subdomain = "^(" + Subdomain + ")?$";

    /// <summary>A DNS-1123 label: namespace names.</summary>
    public const string Dns1123Label = "^" + Label + "$";

    /// <summary>A DNS-1035 label (starts with a letter): names that become Service names.</summary>
    public const string Dns1035Label = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>An extended resource name with its domain prefix, such as <c>nvidia.com/gpu</c>.</summary>
    public const string ExtendedResourceName = "^" + Subdomain + "/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";

    /// <summary>A Kubernetes label value (node label values such as GPU product names).</summary>
    public const string LabelValue = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

    /// <summary>A path relative to a volume's root, or empty for the root itself.</summary>
    public const string RelativePath = "^([^/].*)?$";

    /// <summary>An absolute HTTP path.</summary>
    public const string AbsoluteHttpPath = "^/.*$";

    /// <summary>A SHA-256 content digest.</summary>
    public const string Sha256Digest = "^sha256:[a-f0-9]{64}$";

    /// <summary>Where a model can be read from: a claim and path in the namespace, or object storage, or HTTPS.</summary>
    public const string ModelUri = "^(pvc://" + Subdomain + "(/.*)?|s3://.+|gs://.+|https://.+)$";

    /// <summary>A Go duration (<c>8h</c>, <c>90m</c>, <c>1h30m</c>), as Kubernetes' own durations are written.</summary>
    public const string GoDuration = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

    /// <summary>A time of day, <c>HH:MM</c> on the 24-hour clock.</summary>
    public const string TimeOfDay = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    /// <summary>An HTTP or HTTPS URL.</summary>
    public const string HttpUrl = "^https?://.+$";
}
