using k8s;
using k8s.Autorest;
using k8s.Models;

namespace MedOps.Benchmarks;

/// <summary>Namespaces the benchmarks create and remove.</summary>
internal static class BenchNamespace
{
    /// <summary>
    /// Creates a namespace named after <paramref name="prefix"/> with a random suffix, holding
    /// the claim <c>models</c> that the benchmark's models are served from (pvc://models/…): a
    /// model whose claim is missing is Stalled and gets no children.
    /// </summary>
    public static async Task<string> CreateAsync(Kubernetes admin, string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        await admin.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "models" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadOnlyMany"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
            },
        }, name);
        return name;
    }

    /// <summary>
    /// Deletes a namespace and waits until it is gone: removing thousands of models keeps the
    /// controller-manager's garbage collector busy for minutes, and the next scenario would be
    /// measured against that load.
    /// </summary>
    public static async Task DeleteAndWaitAsync(Kubernetes admin, string name, TimeSpan timeout)
    {
        await admin.CoreV1.DeleteNamespaceAsync(name);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await admin.CoreV1.ReadNamespaceAsync(name);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Console.WriteLine($"warning: namespace {name} was still terminating after {timeout.TotalMinutes:0} min");
    }
}
