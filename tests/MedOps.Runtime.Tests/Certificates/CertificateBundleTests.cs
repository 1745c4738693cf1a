using System.Text;
using MedOps.Runtime.Certificates;

namespace MedOps.Runtime.Tests.Certificates;

public sealed class CertificateBundleTests
{
    private static readonly CertificateBundle Sample = new("ca-pem", "ca-key-pem", "tls-pem", "tls-key-pem");

    private static Dictionary<string, byte[]> Data(params (string Key, string Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => Encoding.UTF8.GetBytes(e.Value));

    [Fact]
    public void Secret_data_uses_the_keys_of_kubernetes_tls_secrets_and_cert_manager()
    {
        var data = Sample.ToSecretData();

        Assert.Equal(["ca.crt", "ca.key", "tls.crt", "tls.key"], data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ca-pem", Encoding.UTF8.GetString(data["ca.crt"]));
        Assert.Equal("ca-key-pem", Encoding.UTF8.GetString(data["ca.key"]));
        Assert.Equal("tls-pem", Encoding.UTF8.GetString(data["tls.crt"]));
        Assert.Equal("tls-key-pem", Encoding.UTF8.GetString(data["tls.key"]));
    }

    [Fact]
    public void A_bundle_survives_a_round_trip_through_secret_data() =>
        Assert.Equal(Sample, CertificateBundle.FromSecretData(Sample.ToSecretData()));

    [Fact]
    public void A_bundle_without_a_ca_key_writes_none_and_reads_back_without_one()
    {
        var external = Sample with { CaKeyPem = null };

        var data = external.ToSecretData();

        Assert.DoesNotContain(CertificateBundle.CaKeyKey, data.Keys);
        Assert.Equal(external, CertificateBundle.FromSecretData(data));
    }

    [Fact]
    public void A_real_bundle_survives_the_round_trip_and_still_loads()
    {
        var bundle = CertificateRotation.Plan(null, new ServingIdentity(["localhost"], []), DateTimeOffset.UtcNow, CertificatePolicy.Default).Replacement!;

        var read = CertificateBundle.FromSecretData(bundle.ToSecretData());

        Assert.Equal(bundle, read);
        using var serving = read!.LoadServingCertificate();
        Assert.True(serving.HasPrivateKey);
        Assert.Single(read.LoadCaBundle());
    }

    [Theory]
    [InlineData("tls.key")]
    [InlineData("tls.crt")]
    public void Without_the_serving_certificate_or_its_key_there_is_no_bundle(string missing)
    {
        var data = Sample.ToSecretData();
        data.Remove(missing);

        Assert.Null(CertificateBundle.FromSecretData(data));
    }

    [Fact]
    public void An_empty_serving_key_counts_as_missing() =>
        Assert.Null(CertificateBundle.FromSecretData(Data(("tls.crt", "tls-pem"), ("tls.key", ""))));

    [Fact]
    public void A_secret_without_data_has_no_bundle() => Assert.Null(CertificateBundle.FromSecretData(null));

    [Fact]
    public void A_secret_without_a_ca_bundle_reads_as_an_empty_one()
    {
        var bundle = CertificateBundle.FromSecretData(Data(("tls.crt", "tls-pem"), ("tls.key", "tls-key-pem")));

        Assert.Equal(new CertificateBundle("", null, "tls-pem", "tls-key-pem"), bundle);
        Assert.Empty(bundle!.LoadCaBundle());
    }
}
