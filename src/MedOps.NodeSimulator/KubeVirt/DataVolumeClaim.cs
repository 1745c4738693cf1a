using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>
/// The PersistentVolumeClaim CDI creates for each DataVolume, and how a DataVolume relates to
/// the claims it needs (its own, and the source of a clone). Pure.
/// </summary>
internal static class DataVolumeClaim
{
    /// <summary>The label CDI puts on every claim it creates (the DataVolume's own labels win).</summary>
    public const string CdiLabelKey = "app";
    public const string CdiLabelValue = "containerized-data-importer";
    public const string DefaultAccessMode = "ReadWriteOnce";

    /// <summary>A claim needs a size; a DataVolume that names none gets this one.</summary>
    public const string DefaultSize = "1Gi";

    /// <summary>
    /// The claim of <paramref name="dataVolume"/>, as CDI creates it: same name and namespace, the
    /// DataVolume's labels (plus CDI's <c>app: containerized-data-importer</c>), a controller owner
    /// reference to the DataVolume (so the garbage collector deletes the claim with it), and the
    /// spec from <c>spec.storage</c> (or <c>spec.pvc</c>): access modes (ReadWriteOnce by default),
    /// the requested size, the StorageClass only when one is named (otherwise the API server's
    /// DefaultStorageClass admission sets the default), and the volume mode when set.
    /// </summary>
    /// <exception cref="FormatException">The requested size is not a quantity.</exception>
    public static V1PersistentVolumeClaim Build(JsonObject dataVolume)
    {
        var spec = JsonFields.At(dataVolume, "spec", "storage") as JsonObject ?? JsonFields.At(dataVolume, "spec", "pvc") as JsonObject;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [CdiLabelKey] = CdiLabelValue };
        if (JsonFields.At(dataVolume, "metadata", "labels") is JsonObject dataVolumeLabels)
        {
            foreach (var (key, value) in dataVolumeLabels)
            {
                if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
                {
                    labels[key] = text.GetValue<string>();
                }
            }
        }

        var accessModes = JsonFields.At(spec, "accessModes") is JsonArray modes
            ? modes.OfType<JsonValue>().Where(m => m.GetValueKind() == JsonValueKind.String).Select(m => m.GetValue<string>()).ToList()
            : [];
        var storageClass = JsonFields.String(spec, "storageClassName");
        var volumeMode = JsonFields.String(spec, "volumeMode");
        return new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta
            {
                Name = JsonFields.Name(dataVolume),
                NamespaceProperty = JsonFields.Namespace(dataVolume),
                Labels = labels,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = KubeVirtApi.DataVolumes.ApiVersion,
                        Kind = KubeVirtApi.DataVolumes.Kind,
                        Name = JsonFields.Name(dataVolume),
                        Uid = JsonFields.String(dataVolume, "metadata", "uid"),
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = accessModes.Count > 0 ? accessModes : [DefaultAccessMode],
                Resources = new V1VolumeResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(RequestedSize(spec) ?? DefaultSize) },
                },
                StorageClassName = string.IsNullOrEmpty(storageClass) ? null : storageClass,
                VolumeMode = string.IsNullOrEmpty(volumeMode) ? null : volumeMode,
            },
        };
    }

    /// <summary>True when <paramref name="claim"/> is controlled by this DataVolume (not a namesake, not a claim someone let go).</summary>
    public static bool IsControlledBy(V1PersistentVolumeClaim claim, JsonObject dataVolume)
    {
        var uid = JsonFields.String(dataVolume, "metadata", "uid");
        return claim.Metadata?.OwnerReferences?.Any(o =>
            o.Controller == true && o.Kind == KubeVirtApi.DataVolumes.Kind && o.Uid == uid && !string.IsNullOrEmpty(uid)) == true;
    }

    /// <summary>
    /// The source claim of a clone (<c>spec.source.pvc</c>) as a cache key <c>namespace/name</c>;
    /// the namespace defaults to the DataVolume's. Null for anything but a clone.
    /// </summary>
    public static string? CloneSourceKey(JsonObject dataVolume)
    {
        if (JsonFields.At(dataVolume, "spec", "source", "pvc") is not JsonObject source)
        {
            return null;
        }

        var ns = JsonFields.String(source, "namespace");
        var name = JsonFields.String(source, "name") ?? string.Empty;
        return $"{(string.IsNullOrEmpty(ns) ? JsonFields.Namespace(dataVolume) : ns)}/{name}";
    }

    /// <summary><c>resources.requests.storage</c> as text ("20Gi"; a bare number is bytes).</summary>
    private static string? RequestedSize(JsonObject? spec) => JsonFields.At(spec, "resources", "requests", "storage") switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 0 => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };
}
