using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedOps.Runtime.Admission;

/// <summary>
/// The <c>admission.k8s.io/v1</c> AdmissionReview the API server posts to a webhook, and the
/// one the webhook answers with (the same kind, with <see cref="Response"/> set). The client
/// library has no types for it: admission reviews are not a REST resource.
/// </summary>
public sealed class AdmissionReview
{
    /// <summary>The only version sent and answered: <c>admission.k8s.io/v1</c>.</summary>
    public const string V1 = "admission.k8s.io/v1";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = V1;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "AdmissionReview";

    [JsonPropertyName("request")]
    public AdmissionRequest? Request { get; set; }

    [JsonPropertyName("response")]
    public AdmissionResponse? Response { get; set; }
}

/// <summary>What is being admitted, and by whom (the authenticated user, as the API server saw them).</summary>
public sealed class AdmissionRequest
{
    [JsonPropertyName("uid")]
    public string Uid { get; set; } = "";

    [JsonPropertyName("kind")]
    public GroupVersionKind Kind { get; set; } = new();

    [JsonPropertyName("subResource")]
    public string? SubResource { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary>CREATE, UPDATE, DELETE or CONNECT.</summary>
    [JsonPropertyName("operation")]
    public string Operation { get; set; } = "";

    [JsonPropertyName("userInfo")]
    public AdmissionUser UserInfo { get; set; } = new();

    /// <summary>The object as it would be stored (null for DELETE).</summary>
    [JsonPropertyName("object")]
    public JsonElement? Object { get; set; }

    /// <summary>The stored object (UPDATE and DELETE only).</summary>
    [JsonPropertyName("oldObject")]
    public JsonElement? OldObject { get; set; }

    [JsonPropertyName("dryRun")]
    public bool? DryRun { get; set; }

    /// <summary>The operation's options (for DELETE, the DeleteOptions: propagationPolicy and so on).</summary>
    [JsonPropertyName("options")]
    public JsonElement? Options { get; set; }
}

/// <summary>A kind's group, version and name.</summary>
public sealed class GroupVersionKind
{
    [JsonPropertyName("group")]
    public string Group { get; set; } = "";

    [JsonPropertyName("version")]
    public string Version { get; set; } = "";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";
}

/// <summary>The authenticated identity of a request, exactly as authentication established it.</summary>
public sealed class AdmissionUser
{
    [JsonPropertyName("username")]
    public string? Username { get; set; }

    [JsonPropertyName("uid")]
    public string? Uid { get; set; }

    [JsonPropertyName("groups")]
    public List<string>? Groups { get; set; }

    [JsonPropertyName("extra")]
    public Dictionary<string, List<string>>? Extra { get; set; }
}

/// <summary>The webhook's answer.</summary>
public sealed class AdmissionResponse
{
    [JsonPropertyName("uid")]
    public string Uid { get; set; } = "";

    [JsonPropertyName("allowed")]
    public bool Allowed { get; set; }

    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AdmissionStatus? Status { get; set; }

    [JsonPropertyName("warnings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Warnings { get; set; }

    /// <summary><c>JSONPatch</c> when <see cref="Patch"/> is set (mutating webhooks only).</summary>
    [JsonPropertyName("patchType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PatchType { get; set; }

    /// <summary>The JSON Patch, base64-encoded, as the API server expects it.</summary>
    [JsonPropertyName("patch")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Patch { get; set; }
}

/// <summary>A <c>metav1.Status</c> as far as a refusal needs it: kubectl prints <see cref="Message"/>.</summary>
public sealed class AdmissionStatus
{
    [JsonPropertyName("code")]
    public int Code { get; set; }

    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "";

    [JsonPropertyName("message")]
    public string Message { get; set; } = "";

    [JsonPropertyName("details")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AdmissionStatusDetails? Details { get; set; }
}

/// <summary>The causes of a refusal, one per field, as the API server's own validation reports them.</summary>
public sealed class AdmissionStatusDetails
{
    [JsonPropertyName("causes")]
    public List<AdmissionStatusCause> Causes { get; set; } = [];
}

/// <summary>One refused field.</summary>
public sealed class AdmissionStatusCause
{
    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "FieldValueInvalid";

    [JsonPropertyName("field")]
    public string Field { get; set; } = "";

    [JsonPropertyName("message")]
    public string Message { get; set; } = "";
}
