using System.Net;
using System.Text;
using System.Text.Json;
using k8s.Models;
using MedOps.Operator.Configuration;
using MedOps.Operator.Health;
using MedOps.Operator.Hosting;
using MedOps.Runtime;
using MedOps.Runtime.Api;
using MedOps.Runtime.Certificates;
using MedOps.Runtime.Informers;

namespace MedOps.Operator.Webhook;

/// <summary>
/// Keeps the webhook's certificate current on every replica. It watches the one Secret named
/// by <c>--webhook-secret</c> and serves what it holds. With self-issued certificates it also
/// creates the CA and serving certificate when they are missing, rotates them before they
/// expire (see <see cref="CertificateRotation"/>), and keeps the caBundle of the
/// ValidatingWebhookConfiguration equal to the Secret's CA bundle. Replicas race safely: a
/// write carries the resourceVersion it read, the loser's write fails with 409 and it takes
/// the winner's certificate from its watch.
/// </summary>
internal sealed class WebhookCertificates(
    Manager manager,
    OperatorOptions options,
    ServingCertificateSource source,
    ReadinessGate readiness,
    TimeProvider time,
    ILogger<WebhookCertificates> logger) : IOperatorComponent
{
    /// <summary>How often the certificates' ages are checked when nothing changes.</summary>
    internal static readonly TimeSpan RecheckInterval = TimeSpan.FromHours(1);

    private static readonly ResourceType Secrets = ResourceType.For<V1Secret>();

    private static readonly ResourceType WebhookConfigurations =
        new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", Namespaced: false);

    private static readonly ResourceType MutatingWebhookConfigurations =
        new("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", Namespaced: false);

    private readonly WebhookOptions webhook = options.Webhook ?? throw new InvalidOperationException("the webhook is not configured");
    private readonly SemaphoreSlim changed = new(0);
    private string? lastProblem;

    public string Name => "webhook certificates";

    public bool NeedsLeaderElection => false;

    /// <summary>The names the self-issued certificate carries.</summary>
    internal static ServingIdentity Identity(WebhookOptions webhook)
    {
        List<string> dns = [];
        if (webhook.Service is { } service)
        {
            dns.Add($"{service.Name}.{service.Namespace}.svc");
            dns.Add($"{service.Name}.{service.Namespace}.svc.cluster.local");
        }
        dns.Add("localhost");
        return new ServingIdentity(dns, [IPAddress.Loopback]);
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var check = readiness.Register("webhook-certificate", () => source.Current is not null);
        var secrets = new Informer<V1Secret>(manager.Api, Secrets, webhook.Secret.Namespace, null,
            manager.Loggers.CreateLogger("MedOps.Runtime.Informer.Secret"), $"metadata.name={webhook.Secret.Name}");
        secrets.AddHandler(_ => Signal());
        var watches = new List<Task> { Task.Run(() => secrets.RunAsync(stoppingToken), stoppingToken) };
        Informer<V1ValidatingWebhookConfiguration>? configurations = null;
        Informer<V1MutatingWebhookConfiguration>? mutating = null;
        if (webhook.SelfIssued && webhook.ConfigurationName is { } configurationName)
        {
            // The validating and the mutating configuration share the name (the chart's release).
            configurations = new Informer<V1ValidatingWebhookConfiguration>(manager.Api, WebhookConfigurations, null, null,
                manager.Loggers.CreateLogger("MedOps.Runtime.Informer.ValidatingWebhookConfiguration"), $"metadata.name={configurationName}");
            configurations.AddHandler(_ => Signal());
            watches.Add(Task.Run(() => configurations.RunAsync(stoppingToken), stoppingToken));
            mutating = new Informer<V1MutatingWebhookConfiguration>(manager.Api, MutatingWebhookConfigurations, null, null,
                manager.Loggers.CreateLogger("MedOps.Runtime.Informer.MutatingWebhookConfiguration"), $"metadata.name={configurationName}");
            mutating.AddHandler(_ => Signal());
            watches.Add(Task.Run(() => mutating.RunAsync(stoppingToken), stoppingToken));
        }

        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = RecheckInterval;
            if (secrets.HasSynced && (configurations?.HasSynced ?? true) && (mutating?.HasSynced ?? true))
            {
                try
                {
                    await SyncAsync(secrets, configurations, mutating, stoppingToken);
                    backoff = TimeSpan.FromSeconds(1);
                }
                catch (Exception exception) when (exception is KubeApiException or HttpRequestException or TimeoutException or JsonException
                    or System.Security.Cryptography.CryptographicException or ArgumentException)
                {
                    // A conflict means another replica wrote first: its certificate arrives by the watch.
                    if (exception is not KubeApiException { StatusCode: HttpStatusCode.Conflict })
                    {
                        Report($"cannot update the webhook certificate in Secret {webhook.Secret}: {exception.Message}");
                    }
                    wait = backoff;
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                }
            }
            else
            {
                wait = TimeSpan.FromMilliseconds(200);
            }
            try
            {
                await changed.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        await Task.WhenAll(watches.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private void Signal()
    {
        if (changed.CurrentCount == 0)
        {
            changed.Release();
        }
    }

    private async Task SyncAsync(Informer<V1Secret> secrets, Informer<V1ValidatingWebhookConfiguration>? configurations,
        Informer<V1MutatingWebhookConfiguration>? mutating, CancellationToken cancellationToken)
    {
        var secret = secrets.Cache.Get(new ObjectKey(webhook.Secret.Namespace, webhook.Secret.Name));
        var bundle = CertificateBundle.FromSecretData(secret?.Data);
        if (bundle is not null && configurations is not null)
        {
            // The stored bundle is published before anything new is issued: the second step of a
            // CA rotation (a serving certificate from the new CA) must never come before the API
            // server trusts that CA, even when the previous publication failed.
            await PublishCaBundleAsync(configurations, mutating, bundle.CaBundlePem, cancellationToken);
        }
        if (webhook.SelfIssued)
        {
            var plan = CertificateRotation.Plan(bundle, Identity(webhook), time.GetUtcNow(), CertificatePolicy.Default);
            if (plan.Rotates)
            {
                await WriteAsync(secret, plan.Replacement!, cancellationToken);
                logger.LogInformation("issued a new webhook certificate in Secret {Secret}: {Reason}", webhook.Secret, plan.Reason);
                bundle = plan.Replacement;
            }
        }
        if (bundle is null)
        {
            Report($"waiting for a serving certificate in Secret {webhook.Secret} (keys tls.crt and tls.key); the webhook refuses TLS until then");
            return;
        }
        if (source.Use(bundle))
        {
            var served = source.Current!;
            logger.LogInformation("serving the webhook with certificate {Subject} (serial {Serial}), valid until {NotAfter:u}",
                served.Subject, served.SerialNumber, served.NotAfter.ToUniversalTime());
        }
        if (configurations is not null)
        {
            await PublishCaBundleAsync(configurations, mutating, bundle.CaBundlePem, cancellationToken);
        }
        if (source.Current is not null)
        {
            lastProblem = null;
        }
    }

    private async Task WriteAsync(V1Secret? existing, CertificateBundle bundle, CancellationToken cancellationToken)
    {
        if (existing is null)
        {
            // The chart creates the Secret (RBAC cannot grant create by name); out of cluster the
            // operator may create it itself when its identity is allowed to.
            var created = new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta { Name = webhook.Secret.Name, NamespaceProperty = webhook.Secret.Namespace },
                Type = "Opaque",
                Data = bundle.ToSecretData(),
            };
            await manager.Api.CreateAsync(Secrets, webhook.Secret.Namespace, created, cancellationToken);
            return;
        }
        existing.Data = bundle.ToSecretData();
        await manager.Api.ReplaceAsync(Secrets, webhook.Secret.Namespace, webhook.Secret.Name, existing, cancellationToken: cancellationToken);
    }

    private async Task PublishCaBundleAsync(Informer<V1ValidatingWebhookConfiguration> configurations, Informer<V1MutatingWebhookConfiguration>? mutating,
        string caBundlePem, CancellationToken cancellationToken)
    {
        var name = webhook.ConfigurationName!;
        var validating = configurations.Cache.Get(new ObjectKey("", name));
        await PublishCaBundleAsync(WebhookConfigurations, name,
            validating?.Webhooks?.Select(w => (w.Name, w.ClientConfig?.CaBundle)).ToList(), caBundlePem, cancellationToken);
        if (mutating is not null)
        {
            var configuration = mutating.Cache.Get(new ObjectKey("", name));
            await PublishCaBundleAsync(MutatingWebhookConfigurations, name,
                configuration?.Webhooks?.Select(w => (w.Name, w.ClientConfig?.CaBundle)).ToList() ?? (configuration is null ? null : []), caBundlePem, cancellationToken);
        }
    }

    // Sets the caBundle of each webhook of one configuration (hooks null: it does not exist).
    private async Task PublishCaBundleAsync(ResourceType type, string name, IReadOnlyList<(string Name, byte[]? CaBundle)>? hooks, string caBundlePem, CancellationToken cancellationToken)
    {
        if (hooks is null)
        {
            Report($"{type.Kind} {name} does not exist, so the API server cannot call this webhook; install it with the chart");
            return;
        }
        var wanted = Encoding.UTF8.GetBytes(caBundlePem);
        var operations = new List<object>();
        for (var i = 0; i < hooks.Count; i++)
        {
            if (hooks[i].CaBundle is { } current && current.AsSpan().SequenceEqual(wanted))
            {
                continue;
            }
            // The test keeps a reordered list from receiving a bundle at the wrong index.
            operations.Add(new { op = "test", path = $"/webhooks/{i}/name", value = hooks[i].Name });
            operations.Add(new { op = "add", path = $"/webhooks/{i}/clientConfig/caBundle", value = Convert.ToBase64String(wanted) });
        }
        if (operations.Count == 0)
        {
            return;
        }
        await manager.Api.JsonPatchAsync<System.Text.Json.Nodes.JsonObject>(type, null, name, JsonSerializer.Serialize(operations), cancellationToken: cancellationToken);
        logger.LogInformation("set the caBundle of {Kind} {Name} ({Count} webhooks)", type.Kind, name, operations.Count / 2);
    }

    // Each distinct problem is logged once, not on every retry.
    private void Report(string problem)
    {
        if (problem != lastProblem)
        {
            logger.LogWarning("{Problem}", problem);
            lastProblem = problem;
        }
    }
}
