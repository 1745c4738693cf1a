using System.Text.Json.Serialization;

namespace MedOps.Controllers.Workspaces.KubeVirt;

/// <summary>A GPU passed through to the guest.</summary>
public sealed class DomainGpu
{
    /// <summary>Device name in the guest (<c>gpu0</c>, <c>gpu1</c>, …).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The permitted host device's resource name.</summary>
    [JsonPropertyName("deviceName")]
    public string? DeviceName { get; set; }
}
