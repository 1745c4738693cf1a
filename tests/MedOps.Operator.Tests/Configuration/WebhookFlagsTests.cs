using MedOps.Operator.Configuration;
using MedOps.Operator.Tests.TestSupport;

namespace MedOps.Operator.Tests.Configuration;

public sealed class WebhookFlagsTests
{
    private readonly FakeStartupEnvironment environment = new();

    private OperatorOptions Run(params string[] args) =>
        Assert.IsType<ParsedCommandLine.Run>(CommandLineParser.Parse(args, environment)).Options;

    private string Error(params string[] args) =>
        Assert.IsType<ParsedCommandLine.Invalid>(CommandLineParser.Parse(args, environment)).Message;

    [Fact]
    public void Without_webhook_flags_no_webhook_is_served() => Assert.Null(Run().Webhook);

    [Fact]
    public void An_address_and_a_secret_serve_a_webhook_with_a_self_issued_certificate()
    {
        var webhook = Run("--webhook-bind-address", ":9443", "--webhook-secret", "medops-system/medops-webhook-tls").Webhook;

        Assert.NotNull(webhook);
        Assert.Equal(":9443", webhook.BindAddress.ToString());
        Assert.Equal(9443, webhook.BindAddress.Port);
        Assert.Equal(new NamespacedName("medops-system", "medops-webhook-tls"), webhook.Secret);
        Assert.Equal("medops-system/medops-webhook-tls", webhook.Secret.ToString());
        Assert.True(webhook.SelfIssued);
        Assert.Null(webhook.Service);
        Assert.Null(webhook.ConfigurationName);
    }

    [Fact]
    public void Every_webhook_flag_is_read()
    {
        var webhook = Run(
            "--webhook-bind-address=127.0.0.1:9443", "--webhook-secret=medops-system/medops-webhook-tls",
            "--webhook-service=medops-system/medops-webhook", "--webhook-configuration=medops.medops.io", "--webhook-cert-issuer=self").Webhook!;

        Assert.Equal("127.0.0.1:9443", webhook.BindAddress.ToString());
        Assert.Equal(new NamespacedName("medops-system", "medops-webhook"), webhook.Service);
        Assert.Equal("medops.medops.io", webhook.ConfigurationName);
        Assert.True(webhook.SelfIssued);
    }

    [Fact]
    public void An_external_issuer_only_reads_the_secret() =>
        Assert.False(Run("--webhook-bind-address=:9443", "--webhook-secret=medops-system/tls", "--webhook-cert-issuer", "external").Webhook!.SelfIssued);

    [Fact]
    public void A_bind_address_of_zero_means_no_webhook() => Assert.Null(Run("--webhook-bind-address", "0").Webhook);

    [Theory]
    [InlineData("--webhook-secret=medops-system/tls", "webhook-secret")]
    [InlineData("--webhook-service=medops-system/medops-webhook", "webhook-service")]
    [InlineData("--webhook-configuration=medops", "webhook-configuration")]
    [InlineData("--webhook-cert-issuer=external", "webhook-cert-issuer")]
    public void A_webhook_flag_without_the_bind_address_is_refused_naming_the_flag(string flag, string name) =>
        Assert.Equal($"flag --{name} needs --webhook-bind-address (run with --help)", Error(flag));

    [Fact]
    public void A_webhook_flag_with_the_bind_address_turned_off_is_refused() =>
        Assert.Equal("flag --webhook-secret needs --webhook-bind-address (run with --help)",
            Error("--webhook-bind-address=0", "--webhook-secret=medops-system/tls"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void The_bind_address_without_a_secret_is_refused(string? secret) =>
        Assert.Equal(
            "flag --webhook-bind-address needs --webhook-secret <namespace>/<name>, the Secret of the serving certificate (run with --help)",
            Error(secret is null ? ["--webhook-bind-address=:9443"] : ["--webhook-bind-address=:9443", $"--webhook-secret={secret}"]));

    [Theory]
    [InlineData("tls")]
    [InlineData("/tls")]
    [InlineData("medops-system/")]
    [InlineData("Medops/tls")]
    [InlineData("medops-system/TLS")]
    [InlineData("medops-system/tls/extra")]
    [InlineData("medops_system/tls")]
    public void A_secret_that_is_not_namespace_slash_name_is_refused(string secret) =>
        Assert.Equal(
            $"invalid value \"{secret}\" for flag --webhook-secret: expected <namespace>/<name> (run with --help)",
            Error("--webhook-bind-address=:9443", $"--webhook-secret={secret}"));

    [Fact]
    public void A_service_that_is_not_namespace_slash_name_is_refused() =>
        Assert.Equal(
            "invalid value \"medops-webhook\" for flag --webhook-service: expected <namespace>/<name> (run with --help)",
            Error("--webhook-bind-address=:9443", "--webhook-secret=medops-system/tls", "--webhook-service=medops-webhook"));

    [Fact]
    public void An_unknown_issuer_is_refused() =>
        Assert.Equal(
            "invalid value \"cert-manager\" for flag --webhook-cert-issuer: expected self or external (run with --help)",
            Error("--webhook-bind-address=:9443", "--webhook-secret=medops-system/tls", "--webhook-cert-issuer=cert-manager"));

    [Fact]
    public void A_webhook_configuration_with_an_external_issuer_is_refused() =>
        Assert.Equal(
            "flag --webhook-configuration is for self-issued certificates: with --webhook-cert-issuer=external, cert-manager's CA injector keeps the caBundle (run with --help)",
            Error("--webhook-bind-address=:9443", "--webhook-secret=medops-system/tls", "--webhook-cert-issuer=external", "--webhook-configuration=medops"));

    [Fact]
    public void An_invalid_webhook_configuration_name_is_refused() =>
        Assert.Equal(
            "invalid value \"Medops_Webhook\" for flag --webhook-configuration: not a valid object name (run with --help)",
            Error("--webhook-bind-address=:9443", "--webhook-secret=medops-system/tls", "--webhook-configuration=Medops_Webhook"));

    [Theory]
    [InlineData("9443", "expected [host]:port, for example :8080 or 127.0.0.1:8080")]
    [InlineData(":0", "port \"0\" is not a number between 1 and 65535")]
    [InlineData("webhook.local:9443", "host \"webhook.local\" is not an IP address (write IPv6 addresses in brackets, as [::1]:8080)")]
    public void A_bad_bind_address_is_refused_with_the_reason(string address, string reason) =>
        Assert.Equal(
            $"invalid value \"{address}\" for flag --webhook-bind-address: {reason} (run with --help)",
            Error($"--webhook-bind-address={address}", "--webhook-secret=medops-system/tls"));

    [Theory]
    [InlineData(":8081", null)]
    [InlineData("127.0.0.1:8080", null)]
    [InlineData(":9000", ":9000")]
    public void The_webhook_port_must_differ_from_the_health_and_metrics_ports(string webhook, string? health) =>
        Assert.Equal(
            "--webhook-bind-address must use a port of its own, not the health probes' or the metrics' (run with --help)",
            Error(health is null
                ? [$"--webhook-bind-address={webhook}", "--webhook-secret=medops-system/tls"]
                : [$"--webhook-bind-address={webhook}", "--webhook-secret=medops-system/tls", $"--health-probe-bind-address={health}"]));

    [Fact]
    public void The_metrics_port_is_free_for_the_webhook_when_metrics_are_off() =>
        Assert.Equal(8080, Run("--metrics-bind-address=0", "--webhook-bind-address=:8080", "--webhook-secret=medops-system/tls").Webhook!.BindAddress.Port);

    [Fact]
    public void Usage_text_lists_the_webhook_flags_with_their_values_and_defaults()
    {
        var usage = UsageText.Build();

        Assert.Contains("--webhook-bind-address address", usage, StringComparison.Ordinal);
        Assert.Contains("--webhook-secret namespace/name", usage, StringComparison.Ordinal);
        Assert.Contains("--webhook-service namespace/name", usage, StringComparison.Ordinal);
        Assert.Contains("--webhook-configuration name", usage, StringComparison.Ordinal);
        Assert.Contains("--webhook-cert-issuer self|external", usage, StringComparison.Ordinal);
        Assert.Contains("0 serves no webhook. Needs --webhook-secret. (default: 0)", usage, StringComparison.Ordinal);
        Assert.Contains("(default: self)", usage, StringComparison.Ordinal);
        Assert.Contains("phiSourcePrefixes, phiStorageClasses", usage, StringComparison.Ordinal);
    }
}
