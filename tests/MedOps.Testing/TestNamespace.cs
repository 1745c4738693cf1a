using k8s;
using k8s.Models;

namespace MedOps.Testing;

/// <summary>A namespace owned by one test, deleted (in the background) when disposed.</summary>
public sealed class TestNamespace : IAsyncDisposable
{
    private readonly IKubernetes client;

    private TestNamespace(IKubernetes client, string name)
    {
        this.client = client;
        Name = name;
    }

    /// <summary>The namespace name.</summary>
    public string Name { get; }

    /// <summary>Creates a namespace named prefix plus a random suffix.</summary>
    public static async Task<TestNamespace> CreateAsync(IKubernetes client, string prefix) =>
        await CreateAsync(client, prefix, TimeSpan.FromSeconds(60));

    /// <summary>Creates a namespace and waits up to <paramref name="tokenTimeout"/> for its ServiceAccount token.</summary>
    public static async Task<TestNamespace> CreateAsync(IKubernetes client, string prefix, TimeSpan tokenTimeout)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["medops.io/test"] = "true" } },
        });
        // Pods are refused until the token controller has given the default ServiceAccount its
        // token (Kubernetes 1.20): wait for it here instead of in every test.
        await Eventually.WaitUntilAsync(
            async () => (await client.CoreV1.ListNamespacedServiceAccountAsync(name)).Items
                .Any(sa => sa.Metadata.Name == "default" && sa.Secrets is { Count: > 0 }),
            tokenTimeout,
            $"the default ServiceAccount of {name} to get its token");
        return new TestNamespace(client, name);
    }

    /// <summary>Deletes the namespace without waiting for its finalization.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await client.CoreV1.DeleteNamespaceAsync(Name);
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            // Already gone or the cluster is down: nothing left to clean.
        }
    }
}
