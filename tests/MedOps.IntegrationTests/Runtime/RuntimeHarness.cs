using System.Net;
using k8s;
using k8s.Models;
using MedOps.Runtime;
using MedOps.Runtime.Controllers;
using MedOps.Runtime.Informers;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Runtime;

/// <summary>
/// The runtime with the widget controller, in-process, as identity <c>medops-dev</c> (so the
/// audit log tells its requests apart), scoped to one test namespace, optionally behind a
/// <see cref="TcpProxy"/> that can cut it off from the apiserver.
/// </summary>
internal sealed class RuntimeHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task controllers;

    private RuntimeHarness(string @namespace, TcpProxy? proxy, TimeSpan reconcileTimeout)
    {
        Proxy = proxy;
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(RepositoryLayout.ClusterDirectory, "medops-dev.kubeconfig"));
        if (proxy is not null)
        {
            config.Host = $"https://127.0.0.1:{proxy.Port}";
        }
        Manager = new Manager(config, new ManagerOptions { WatchNamespace = @namespace }, Logs);
        Widgets = Manager.Informers.Get<Widget>();
        Children = Manager.Informers.Get<V1ConfigMap>(labelSelector: WidgetReconciler.ManagedBy);
        Controller = new Controller<Widget>("widget", Widgets, new WidgetReconciler(Manager, Children),
            new ControllerOptions { MaxConcurrentReconciles = 2, ReconcileTimeout = reconcileTimeout }, Logs.CreateLogger("widget"));
        Controller.Owns(Children);
        Manager.Add(Controller);
        Manager.StartCaches(stop.Token);
        controllers = Task.Run(() => Manager.RunControllersAsync(stop.Token));
    }

    public CapturingLoggerFactory Logs { get; } = new();

    public Manager Manager { get; }

    public Informer<Widget> Widgets { get; }

    public Informer<V1ConfigMap> Children { get; }

    public Controller<Widget> Controller { get; }

    public TcpProxy? Proxy { get; }

    public static async Task<RuntimeHarness> StartAsync(LocalCluster cluster, string @namespace, bool proxied = false, TimeSpan? reconcileTimeout = null)
    {
        await WidgetCrd.EnsureAsync(cluster);
        TcpProxy? proxy = null;
        if (proxied)
        {
            var server = new Uri(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath).Host);
            proxy = new TcpProxy(new IPEndPoint(IPAddress.Parse(server.Host), server.Port));
        }
        var harness = new RuntimeHarness(@namespace, proxy, reconcileTimeout ?? TimeSpan.FromSeconds(3));
        try
        {
            await harness.Manager.Informers.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("caches did not sync: " + string.Join(", ", harness.Manager.Informers.Unsynced())
                + "; log: " + string.Join(" | ", harness.Logs.Entries.Select(e => e.Message)));
        }
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        try
        {
            await controllers.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Workers stop on cancellation; a hung widget reconcile never ends by design.
        }
        Manager.Dispose();
        Proxy?.Dispose();
    }
}

/// <summary>Installs the widget CRD once per run.</summary>
internal static class WidgetCrd
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool installed;

    public static async Task EnsureAsync(LocalCluster cluster)
    {
        await Once.WaitAsync();
        try
        {
            if (installed)
            {
                return;
            }
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Widget.CrdYaml);
            try
            {
                await cluster.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
            }
            catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Installed by an earlier run against the same cluster, maybe with an older schema.
                var existing = await cluster.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name);
                crd.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                await cluster.Client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(crd, crd.Metadata.Name);
            }
            await Eventually.WaitUntilAsync(
                async () => (await cluster.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name)).Status?.Conditions?
                    .Any(c => c.Type == "Established" && c.Status == "True") == true,
                TimeSpan.FromSeconds(30), "the widget CRD to be established");
            installed = true;
        }
        finally
        {
            Once.Release();
        }
    }
}
