using k8s;
using k8s.Models;
using MedOps.NodeSimulator.Kube;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>
/// The minimal VirtualMachine and DataVolume CRDs shipped in <c>hack/simulator/crds/</c> (embedded
/// into the simulator), and their installation when absent.
/// </summary>
internal static class KubeVirtCrds
{
    public static IReadOnlyList<V1CustomResourceDefinition> Load()
    {
        var assembly = typeof(KubeVirtCrds).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("crds/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)
                    ?? throw new InvalidOperationException($"embedded resource {n} is missing");
                using var reader = new StreamReader(stream);
                return KubernetesYaml.Deserialize<V1CustomResourceDefinition>(reader.ReadToEnd());
            })
            .ToList();
    }

    /// <summary>Creates each CRD that does not exist; an existing one (whoever installed it) is left as it is.</summary>
    public static async Task InstallMissingAsync(IKubernetes client, SimulatorLog log, CancellationToken cancellationToken)
    {
        foreach (var crd in Load())
        {
            try
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken).ConfigureAwait(false);
                log.Info($"crd {crd.Metadata.Name}: installed");
            }
            catch (Exception e) when (ApiErrors.IsAlreadyExists(e))
            {
                log.Info($"crd {crd.Metadata.Name}: already installed");
            }
        }
    }
}
