using System.Net;
using MedOps.Operator.Configuration;
using MedOps.Operator.Http;
using MedOps.Operator.Webhook;

namespace MedOps.Operator.Tests.Webhook;

public sealed class WebhookIdentityTests
{
    private static WebhookOptions Options(NamespacedName? service) => new()
    {
        BindAddress = new BindAddress(null, false, 9443),
        Secret = new NamespacedName("medops-system", "medops-webhook-tls"),
        Service = service,
    };

    [Fact]
    public void The_certificate_names_the_service_its_cluster_local_name_and_the_loopback()
    {
        var identity = WebhookCertificates.Identity(Options(new NamespacedName("medops-system", "medops-webhook")));

        Assert.Equal(
            ["medops-webhook.medops-system.svc", "medops-webhook.medops-system.svc.cluster.local", "localhost"],
            identity.DnsNames);
        Assert.Equal([IPAddress.Parse("127.0.0.1")], identity.IpAddresses);
    }

    [Fact]
    public void Without_a_service_the_certificate_names_only_the_loopback()
    {
        var identity = WebhookCertificates.Identity(Options(null));

        Assert.Equal(["localhost"], identity.DnsNames);
        Assert.Equal([IPAddress.Loopback], identity.IpAddresses);
    }
}
