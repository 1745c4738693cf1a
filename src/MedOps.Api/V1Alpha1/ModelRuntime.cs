using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The inference server container.</summary>
public sealed class ModelRuntime
{
    /// <summary>The default serving port.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The Open Inference Protocol's readiness endpoint.</summary>
    public const string DefaultReadinessPath = "/v2/health/ready";

    /// <summary>The server image.</summary>
    [JsonPropertyName("image")]
    [Description("Container image of the inference server, for example nvcr.io/nvidia/tritonserver:24.08-py3. The model is mounted read-only at /mnt/models (MODEL_DIR).")]
    [Required]
    [MinLength(1)]
    public string Image { get; set; } = "";

    /// <summary>The entrypoint; the image's when omitted.</summary>
    [JsonPropertyName("command")]
    [Description("Entrypoint of the server container; the image's ENTRYPOINT when omitted.")]
    public IList<string>? Command { get; set; }

    /// <summary>Arguments to the entrypoint; the image's when omitted.</summary>
    [JsonPropertyName("args")]
    [Description("Arguments to the entrypoint; the image's CMD when omitted.")]
    public IList<string>? Args { get; set; }

    /// <summary>Extra environment variables.</summary>
    [JsonPropertyName("env")]
    [Description("Extra environment variables of the server container (core/v1 EnvVar). MODEL_DIR, MEDOPS_MODEL_NAME and MEDOPS_MODEL_VERSION are set by the operator.")]
    public IList<V1EnvVar>? Env { get; set; }

    /// <summary>The port the server listens on.</summary>
    [JsonPropertyName("port")]
    [Description("Port the server listens on (containerPort named http); the Service exposes the same port.")]
    [DefaultValue(DefaultPort)]
    [Minimum(1)]
    [Maximum(65535)]
    public int Port { get; set; } = DefaultPort;

    /// <summary>The readiness probe's HTTP path.</summary>
    [JsonPropertyName("readinessPath")]
    [Description("HTTP path of the readiness probe (GET on port); the default is the Open Inference Protocol's /v2/health/ready.")]
    [DefaultValue(DefaultReadinessPath)]
    [Pattern(ValidationPatterns.AbsoluteHttpPath)]
    public string ReadinessPath { get; set; } = DefaultReadinessPath;
}
