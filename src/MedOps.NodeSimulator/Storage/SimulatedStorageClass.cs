using k8s;
using k8s.Models;
using MedOps.NodeSimulator.Kube;
using MedOps.NodeSimulator.Nodes;

namespace MedOps.NodeSimulator.Storage;

/// <summary>
/// The cluster's default StorageClass, <c>medops-simulated</c>, provisioned by this simulator
/// (<see cref="StoragePlanner.ProvisionerName"/>). It is ensured at start-up, before the nodes are
/// registered, so that a claim created afterwards without a class gets this one from the API
/// server's DefaultStorageClass admission plugin, as on a real cluster. The local cluster's PHI
/// guardrail (<c>config.guardrails.phiStorageClasses</c>) lists it as its (pretend) encrypted class.
/// </summary>
internal static class SimulatedStorageClass
{
    public const string Name = "medops-simulated";

    /// <summary>The annotation that makes a class the default; the API server also honours the beta one.</summary>
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    public const string BetaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";

    /// <summary>
    /// The class: our provisioner, expandable, reclaim policy Delete (as the simulated volumes have),
    /// binding Immediate (the simulator binds a claim as soon as it is created, not when a pod uses it).
    /// </summary>
    public static V1StorageClass Build(bool isDefault) => new()
    {
        ApiVersion = "storage.k8s.io/v1",
        Kind = "StorageClass",
        Metadata = new V1ObjectMeta
        {
            Name = Name,
            Labels = new Dictionary<string, string> { [NodeCatalog.SimulatedLabel] = "true" },
            Annotations = isDefault ? new Dictionary<string, string> { [DefaultClassAnnotation] = "true" } : null,
        },
        Provisioner = StoragePlanner.ProvisionerName,
        AllowVolumeExpansion = true,
        ReclaimPolicy = "Delete",
        VolumeBindingMode = "Immediate",
    };

    /// <summary>True when the API server counts <paramref name="storageClass"/> as a default class.</summary>
    public static bool IsDefault(V1StorageClass storageClass) =>
        storageClass.Metadata?.Annotations is { } annotations
        && ((annotations.TryGetValue(DefaultClassAnnotation, out var value) && value == "true")
            || (annotations.TryGetValue(BetaDefaultClassAnnotation, out var beta) && beta == "true"));

    /// <summary>The default classes other than ours, by name.</summary>
    public static IReadOnlyList<string> OtherDefaults(IEnumerable<V1StorageClass> classes) =>
        [.. classes.Where(c => c.Metadata?.Name != Name && IsDefault(c)).Select(c => c.Metadata.Name).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Creates the class when it does not exist; an existing one (an earlier run) is left as it is.
    /// When another class is already the default, ours is created as an ordinary class: with two
    /// defaults, the API server of Kubernetes before 1.26 refuses every claim without a class.
    /// </summary>
    public static async Task EnsureAsync(IKubernetes client, SimulatorLog log, CancellationToken cancellationToken)
    {
        var classes = await client.StorageV1.ListStorageClassAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (classes.Items.Any(c => c.Metadata?.Name == Name))
        {
            log.Info($"storageclass {Name}: already there");
            return;
        }

        var others = OtherDefaults(classes.Items);
        if (others.Count > 0)
        {
            log.Warn($"storageclass {string.Join(", ", others)} is already the default: creating {Name} as an ordinary class");
        }

        try
        {
            await client.StorageV1.CreateStorageClassAsync(Build(isDefault: others.Count == 0), cancellationToken: cancellationToken).ConfigureAwait(false);
            log.Info($"storageclass {Name}: created{(others.Count == 0 ? " (the default class)" : "")}");
        }
        catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
        {
            log.Info($"storageclass {Name}: already there");
        }
    }
}
