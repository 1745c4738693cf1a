using System.Security.Cryptography.X509Certificates;
using MedOps.Operator.Webhook;
using MedOps.Runtime.Certificates;

namespace MedOps.Operator.Tests.Webhook;

public sealed class ServingCertificateSourceTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static CertificateBundle Issue() =>
        CertificateRotation.Plan(null, new ServingIdentity(["localhost"], []), Now, CertificatePolicy.Default).Replacement!;

    [Fact]
    public void Nothing_is_served_before_a_bundle_is_used()
    {
        var source = new ServingCertificateSource();

        Assert.Null(source.Current);
        Assert.Null(source.CaBundlePem);
    }

    [Fact]
    public void A_new_bundle_is_served_with_its_key()
    {
        var source = new ServingCertificateSource();
        var bundle = Issue();

        Assert.True(source.Use(bundle));

        var current = Assert.IsType<X509Certificate2>(source.Current);
        Assert.True(current.HasPrivateKey);
        Assert.Equal("CN=localhost", current.Subject);
        Assert.Equal(bundle.CaBundlePem, source.CaBundlePem);
    }

    [Fact]
    public void The_same_bundle_again_changes_nothing()
    {
        var source = new ServingCertificateSource();
        var bundle = Issue();
        source.Use(bundle);
        var served = source.Current;

        Assert.False(source.Use(bundle));
        Assert.False(source.Use(bundle with { }));
        Assert.Same(served, source.Current);
    }

    [Fact]
    public void A_rotated_serving_certificate_replaces_the_served_one()
    {
        var source = new ServingCertificateSource();
        var first = Issue();
        source.Use(first);
        var renewed = CertificateRotation.Plan(first, new ServingIdentity(["localhost"], []), Now.AddDays(70), CertificatePolicy.Default).Replacement!;

        Assert.True(source.Use(renewed));

        Assert.Equal(renewed.LoadServingCertificate().Thumbprint, source.Current!.Thumbprint);
        Assert.Equal(first.CaBundlePem, source.CaBundlePem);
    }

    [Fact]
    public void A_new_ca_bundle_with_the_same_serving_certificate_counts_as_a_change()
    {
        var source = new ServingCertificateSource();
        var first = Issue();
        source.Use(first);
        var withNewCa = first with { CaBundlePem = Issue().CaBundlePem + first.CaBundlePem };

        Assert.True(source.Use(withNewCa));

        Assert.Equal(withNewCa.CaBundlePem, source.CaBundlePem);
    }
}
