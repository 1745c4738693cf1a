using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>
/// KubeVirt's virt-api as far as MedOps reads it: the aggregated group
/// <c>subresources.kubevirt.io/v1</c> with the guest agent's <c>userlist</c> of a
/// VirtualMachineInstance (what <c>virtctl userlist</c> shows). It listens on 127.0.0.1 with a
/// self-signed certificate and registers itself with the API server through an APIService whose
/// Service is an ExternalName <c>localhost</c>: the aggregator, on the same machine, then proxies
/// <c>/apis/subresources.kubevirt.io/…</c> here, as it proxies to virt-api in a real cluster.
/// </summary>
internal sealed class VirtApiServer : IAsyncDisposable
{
    /// <summary>The group served.</summary>
    public const string Group = "subresources.kubevirt.io";

    /// <summary>The ExternalName Service in kube-system that the APIService points at.</summary>
    public const string ServiceName = "medops-sim-virt-api";

    private readonly WebApplication app;
    private readonly IKubernetes client;
    private readonly SimulatorLog log;

    private VirtApiServer(WebApplication app, IKubernetes client, SimulatorLog log)
    {
        this.app = app;
        this.client = client;
        this.log = log;
    }

    /// <summary>Starts listening and registers the APIService; returns the running server.</summary>
    public static async Task<VirtApiServer> StartAsync(IKubernetes client, SimulatorLog log, TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        using var certificate = SelfSigned();
        var pfx = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = pfx })));
        var app = builder.Build();
        app.MapGet($"/apis/{Group}", () => Results.Json(GroupDocument()));
        app.MapGet($"/apis/{Group}/v1", () => Results.Json(ResourceList()));
        app.MapGet($"/apis/{Group}/v1/namespaces/{{ns}}/virtualmachineinstances/{{name}}/userlist", async (string ns, string name) =>
        {
            JsonObject? vm = null;
            try
            {
                var found = await client.CustomObjects.GetNamespacedCustomObjectAsync("kubevirt.io", "v1", ns, "virtualmachines", name).ConfigureAwait(false);
                vm = JsonSerializer.SerializeToNode(found) as JsonObject;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }
            var (code, body) = GuestUserList.For(vm, name, time.GetUtcNow().UtcDateTime);
            return Results.Content(body.ToJsonString(), "application/json", statusCode: code);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var port = new Uri(app.Urls.First()).Port;
        await RegisterAsync(client, port, cancellationToken).ConfigureAwait(false);
        log.Info($"virt-api: serving {Group}/v1 (userlist) on https://127.0.0.1:{port}, registered as APIService v1.{Group}");
        return new VirtApiServer(app, client, log);
    }

    /// <summary>
    /// Unregisters the APIService, then stops listening. An APIService whose backend is gone makes
    /// discovery fail for every client, and the namespace controller cannot delete namespaces
    /// until it is back, so a simulator that stops takes its group away with it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.ApiregistrationV1.DeleteAPIServiceAsync($"v1.{Group}", cancellationToken: timeout.Token).ConfigureAwait(false);
            log.Info($"virt-api: unregistered APIService v1.{Group}");
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            log.Warn($"virt-api: could not unregister APIService v1.{Group}: {e.Message}");
        }
        await app.DisposeAsync().ConfigureAwait(false);
    }

    // The Service (ExternalName localhost, the port) and the APIService, created or replaced:
    // a restarted simulator listens on a new port.
    private static async Task RegisterAsync(IKubernetes client, int port, CancellationToken cancellationToken)
    {
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = ServiceName, NamespaceProperty = "kube-system", Labels = new Dictionary<string, string> { ["medops.io/simulated"] = "true" } },
            Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = "localhost", Ports = [new V1ServicePort { Name = "https", Port = port }] },
        };
        try
        {
            await client.CoreV1.CreateNamespacedServiceAsync(service, "kube-system", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            var existing = await client.CoreV1.ReadNamespacedServiceAsync(ServiceName, "kube-system", cancellationToken: cancellationToken).ConfigureAwait(false);
            existing.Spec.Ports = service.Spec.Ports;
            await client.CoreV1.ReplaceNamespacedServiceAsync(existing, ServiceName, "kube-system", cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var apiService = new V1APIService
        {
            Metadata = new V1ObjectMeta { Name = $"v1.{Group}", Labels = new Dictionary<string, string> { ["medops.io/simulated"] = "true" } },
            Spec = new V1APIServiceSpec
            {
                Group = Group,
                Version = "v1",
                GroupPriorityMinimum = 1000,
                VersionPriority = 15,
                // The simulator's certificate is made at start-up; nothing leaves the machine.
                InsecureSkipTLSVerify = true,
                Service = new Apiregistrationv1ServiceReference { NamespaceProperty = "kube-system", Name = ServiceName, Port = port },
            },
        };
        try
        {
            await client.ApiregistrationV1.CreateAPIServiceAsync(apiService, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            var existing = await client.ApiregistrationV1.ReadAPIServiceAsync(apiService.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            existing.Spec = apiService.Spec;
            await client.ApiregistrationV1.ReplaceAPIServiceAsync(existing, apiService.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static JsonObject GroupDocument()
    {
        var version = new JsonObject { ["groupVersion"] = $"{Group}/v1", ["version"] = "v1" };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = Group,
            ["versions"] = new JsonArray(version),
            ["preferredVersion"] = version.DeepClone(),
        };
    }

    private static JsonObject ResourceList() => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = $"{Group}/v1",
        ["resources"] = new JsonArray(new JsonObject
        {
            ["name"] = "virtualmachineinstances/userlist",
            ["namespaced"] = true,
            ["kind"] = "VirtualMachineInstanceGuestOSUserList",
            ["verbs"] = new JsonArray("get"),
        }),
    };

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
    }
}
