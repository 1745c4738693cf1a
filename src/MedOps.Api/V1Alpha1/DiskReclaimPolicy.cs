using System.Text.Json.Serialization;

namespace MedOps.Api.V1Alpha1;

/// <summary>What happens to a workspace's disk when the workspace is deleted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiskReclaimPolicy>))]
public enum DiskReclaimPolicy
{
    /// <summary>The disk is deleted with the workspace. The default.</summary>
    Delete,

    /// <summary>The disk's claim outlives the workspace, labelled with where it came from.</summary>
    Retain,
}
