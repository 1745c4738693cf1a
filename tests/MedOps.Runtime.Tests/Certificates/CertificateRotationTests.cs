using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MedOps.Runtime.Certificates;

namespace MedOps.Runtime.Tests.Certificates;

public sealed class CertificateRotationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ServingIdentity Identity = new(
        ["medops-webhook.medops-system.svc", "medops-webhook.medops-system.svc.cluster.local", "localhost"],
        [IPAddress.Loopback]);

    private static RotationPlan Plan(CertificateBundle? bundle, DateTimeOffset at, ServingIdentity? identity = null) =>
        CertificateRotation.Plan(bundle, identity ?? Identity, at, CertificatePolicy.Default);

    private static CertificateBundle Issue(DateTimeOffset? at = null) => Plan(null, at ?? Now).Replacement!;

    private static X509Certificate2 Serving(CertificateBundle bundle) => X509Certificate2.CreateFromPem(bundle.CertificatePem);

    private static X509Certificate2 Authority(CertificateBundle bundle) => bundle.LoadCaBundle()[0];

    [Fact]
    public void Without_a_bundle_a_ca_and_a_serving_certificate_that_chains_to_it_are_issued()
    {
        var plan = Plan(null, Now);

        Assert.True(plan.Rotates);
        Assert.Equal("there is no certificate yet", plan.Reason);
        var bundle = plan.Replacement!;
        var authority = Assert.Single(bundle.LoadCaBundle());
        using var serving = bundle.LoadServingCertificate();
        Assert.True(serving.HasPrivateKey);
        Assert.True(CertificateRotation.IsIssuedBy(serving, authority, Now));
        Assert.True(CertificateRotation.Names(serving, Identity));
        Assert.Equal("CN=medops-webhook.medops-system.svc", serving.Subject);
        Assert.Equal($"CN={CertificateRotation.AuthorityName}", authority.Subject);
        Assert.True(authority.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.False(serving.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Contains(serving.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(),
            oid => oid.Value == "1.3.6.1.5.5.7.3.1");
        Assert.NotNull(bundle.CaKeyPem);
    }

    [Fact]
    public void Issued_certificates_start_a_little_in_the_past_and_live_as_long_as_the_policy_says()
    {
        var bundle = Issue();
        using var serving = Serving(bundle);
        var authority = Authority(bundle);

        Assert.Equal(Now.UtcDateTime - TimeSpan.FromMinutes(5), serving.NotBefore.ToUniversalTime());
        Assert.Equal(Now.UtcDateTime + TimeSpan.FromDays(90), serving.NotAfter.ToUniversalTime());
        Assert.Equal(Now.UtcDateTime - TimeSpan.FromMinutes(5), authority.NotBefore.ToUniversalTime());
        Assert.Equal(Now.UtcDateTime + TimeSpan.FromDays(365), authority.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Every_dns_name_and_address_of_the_identity_is_named()
    {
        using var serving = Serving(Issue());
        var names = serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();

        Assert.Equal(Identity.DnsNames, names.EnumerateDnsNames());
        Assert.Equal(Identity.IpAddresses, names.EnumerateIPAddresses());
    }

    [Fact]
    public void An_identity_of_addresses_only_is_named_by_its_first_address()
    {
        var identity = new ServingIdentity([], [IPAddress.Parse("10.96.0.10")]);

        using var serving = Serving(Plan(null, Now, identity).Replacement!);

        Assert.Equal("CN=10.96.0.10", serving.Subject);
        Assert.True(CertificateRotation.Names(serving, identity));
        Assert.False(CertificateRotation.Names(serving, Identity));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)]
    public void A_fresh_bundle_is_kept(int days)
    {
        var plan = Plan(Issue(), Now.AddDays(days));

        Assert.False(plan.Rotates);
        Assert.Null(plan.Replacement);
        Assert.StartsWith("the certificate is valid until ", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_serving_certificate_with_less_than_a_third_of_its_life_left_is_renewed_by_the_same_ca()
    {
        var bundle = Issue();
        var at = Now.AddDays(70);

        var plan = Plan(bundle, at);

        Assert.True(plan.Rotates);
        Assert.StartsWith("the serving certificate expires at ", plan.Reason, StringComparison.Ordinal);
        var renewed = plan.Replacement!;
        Assert.Equal(bundle.CaBundlePem, renewed.CaBundlePem);
        Assert.Equal(bundle.CaKeyPem, renewed.CaKeyPem);
        Assert.NotEqual(bundle.CertificatePem, renewed.CertificatePem);
        Assert.NotEqual(bundle.KeyPem, renewed.KeyPem);
        using var serving = renewed.LoadServingCertificate();
        Assert.True(CertificateRotation.IsIssuedBy(serving, Authority(bundle), at));
        Assert.Equal(at.UtcDateTime + TimeSpan.FromDays(90), serving.NotAfter.ToUniversalTime());
        Assert.False(Plan(renewed, at).Rotates);
    }

    [Fact]
    public void A_new_host_of_the_webhook_gets_a_new_serving_certificate_from_the_same_ca()
    {
        var bundle = Issue();
        var wider = new ServingIdentity([.. Identity.DnsNames, "medops-webhook.medops-system.svc.hospital.internal"], Identity.IpAddresses);

        var plan = Plan(bundle, Now.AddDays(1), wider);

        Assert.True(plan.Rotates);
        Assert.Equal("the serving certificate does not name every host of the webhook", plan.Reason);
        Assert.Equal(bundle.CaBundlePem, plan.Replacement!.CaBundlePem);
        using var serving = plan.Replacement.LoadServingCertificate();
        Assert.True(CertificateRotation.Names(serving, wider));
        Assert.True(CertificateRotation.IsIssuedBy(serving, Authority(bundle), Now.AddDays(1)));
    }

    [Fact]
    public void A_ca_near_its_end_is_rotated_in_two_steps_so_the_api_server_trusts_it_before_it_signs_anything_served()
    {
        var original = Issue();
        var at = Now.AddDays(250);
        var oldAuthority = Authority(original);

        // Step 1: the new CA joins the bundle first; the old CA stays; the serving certificate does not change.
        var first = Plan(original, at);
        Assert.True(first.Rotates);
        Assert.StartsWith("the CA expires at ", first.Reason, StringComparison.Ordinal);
        var step1 = first.Replacement!;
        var authorities = step1.LoadCaBundle();
        Assert.Equal(2, authorities.Count);
        Assert.NotEqual(oldAuthority.Thumbprint, authorities[0].Thumbprint);
        Assert.Equal(oldAuthority.Thumbprint, authorities[1].Thumbprint);
        Assert.NotEqual(original.CaKeyPem, step1.CaKeyPem);
        Assert.Equal(original.CertificatePem, step1.CertificatePem);
        Assert.Equal(original.KeyPem, step1.KeyPem);
        using (var withKey = X509Certificate2.CreateFromPem(authorities[0].ExportCertificatePem(), step1.CaKeyPem))
        {
            Assert.True(withKey.HasPrivateKey);
        }

        // Step 2: the next check issues a serving certificate from the new CA; both CAs stay in the bundle.
        var second = Plan(step1, at);
        Assert.True(second.Rotates);
        Assert.Equal("the serving certificate is not issued by the current CA", second.Reason);
        var step2 = second.Replacement!;
        Assert.Equal(step1.CaBundlePem, step2.CaBundlePem);
        Assert.Equal(step1.CaKeyPem, step2.CaKeyPem);
        using var serving = step2.LoadServingCertificate();
        Assert.True(CertificateRotation.IsIssuedBy(serving, authorities[0], at));
        Assert.False(CertificateRotation.IsIssuedBy(serving, oldAuthority, at));
        Assert.True(CertificateRotation.Names(serving, Identity));

        // Step 3: nothing left to do.
        Assert.False(Plan(step2, at).Rotates);
    }

    [Fact]
    public void An_expired_ca_is_replaced_and_dropped_from_the_bundle()
    {
        var at = Now.AddDays(400);

        var step1 = Plan(Issue(), at).Replacement!;
        var step2 = Plan(step1, at).Replacement!;

        var authority = Assert.Single(step2.LoadCaBundle());
        using var serving = step2.LoadServingCertificate();
        Assert.True(CertificateRotation.IsIssuedBy(serving, authority, at));
        Assert.False(Plan(step2, at).Rotates);
    }

    [Fact]
    public void Checked_daily_for_two_years_the_served_certificate_is_always_valid_and_trusted_by_the_published_bundle()
    {
        var bundle = Issue();
        var published = bundle.CaBundlePem;
        var caRotations = 0;
        var servingRotations = 0;
        for (var day = 1; day <= 730; day++)
        {
            var at = Now.AddDays(day);
            // What the API server trusts when it calls: the bundle published by the check before.
            var trusted = new CertificateBundle(published, null, "", "").LoadCaBundle();
            using (var served = bundle.LoadServingCertificate())
            {
                Assert.True(served.NotAfter.ToUniversalTime() > at.UtcDateTime, $"day {day}: the served certificate has expired");
                Assert.True(trusted.Any(ca => CertificateRotation.IsIssuedBy(served, ca, at)), $"day {day}: the served certificate is not trusted");
            }

            var plan = Plan(bundle, at);
            if (plan.Rotates)
            {
                var next = plan.Replacement!;
                var before = bundle.LoadCaBundle().Select(ca => ca.Thumbprint).ToList();
                var after = next.LoadCaBundle().Select(ca => ca.Thumbprint).ToList();
                if (after[0] != before[0])
                {
                    // A new CA is published alone: the serving certificate stays until the next check.
                    caRotations++;
                    Assert.Equal(bundle.CertificatePem, next.CertificatePem);
                }
                else
                {
                    // A new serving certificate never comes with a CA the API server has not seen.
                    servingRotations++;
                    Assert.Subset(before.ToHashSet(), after.ToHashSet());
                }
                bundle = next;
            }
            published = bundle.CaBundlePem;
        }

        Assert.Equal(2, caRotations);
        Assert.InRange(servingRotations, 10, 14);
    }

    [Fact]
    public void A_bundle_without_a_ca_key_as_cert_manager_writes_it_is_issued_anew()
    {
        var external = Issue() with { CaKeyPem = null };

        var plan = Plan(external, Now);

        Assert.True(plan.Rotates);
        Assert.Equal("the stored bundle has no CA key", plan.Reason);
        var replacement = plan.Replacement!;
        Assert.NotNull(replacement.CaKeyPem);
        Assert.NotEqual(Authority(external).Thumbprint, Authority(replacement).Thumbprint);
        using var serving = replacement.LoadServingCertificate();
        Assert.True(CertificateRotation.IsIssuedBy(serving, Authority(replacement), Now));
    }

    [Fact]
    public void A_bundle_with_an_empty_ca_bundle_is_issued_anew() =>
        Assert.Equal("the stored bundle has no CA key", Plan(Issue() with { CaBundlePem = "" }, Now).Reason);

    public static TheoryData<string> Garbage() => new()
    {
        "ca.crt is not PEM",
        "ca.crt is PEM around garbage",
        "ca.key is not PEM",
        "ca.key belongs to another CA",
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void A_ca_that_cannot_be_read_is_issued_anew_without_an_exception(string damage)
    {
        var good = Issue();
        var other = Issue();
        var damaged = damage switch
        {
            "ca.crt is not PEM" => good with { CaBundlePem = "hello" },
            "ca.crt is PEM around garbage" => good with { CaBundlePem = "-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n" },
            "ca.key is not PEM" => good with { CaKeyPem = "not a key" },
            "ca.key belongs to another CA" => good with { CaKeyPem = other.CaKeyPem },
            _ => throw new ArgumentException(damage),
        };

        var plan = Plan(damaged, Now);

        Assert.True(plan.Rotates, plan.Reason);
        var replacement = plan.Replacement!;
        using var serving = replacement.LoadServingCertificate();
        Assert.True(CertificateRotation.IsIssuedBy(serving, Authority(replacement), Now));
        Assert.False(Plan(replacement, Now).Rotates);
    }

    public static TheoryData<string> ServingDamage() => new()
    {
        "tls.crt is not PEM",
        "tls.crt is PEM around garbage",
        "tls.key is not PEM",
        "tls.key belongs to another certificate",
    };

    [Theory]
    [MemberData(nameof(ServingDamage))]
    public void A_serving_certificate_that_cannot_be_read_is_issued_anew_by_the_same_ca(string damage)
    {
        var good = Issue();
        var damaged = damage switch
        {
            "tls.crt is not PEM" => good with { CertificatePem = "garbage" },
            "tls.crt is PEM around garbage" => good with { CertificatePem = "-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n" },
            "tls.key is not PEM" => good with { KeyPem = "garbage" },
            "tls.key belongs to another certificate" => good with { KeyPem = Issue().KeyPem },
            _ => throw new ArgumentException(damage),
        };

        var plan = Plan(damaged, Now);

        Assert.True(plan.Rotates);
        Assert.Equal("the serving certificate or its key cannot be read", plan.Reason);
        Assert.Equal(good.CaBundlePem, plan.Replacement!.CaBundlePem);
        using var serving = plan.Replacement.LoadServingCertificate();
        Assert.True(CertificateRotation.IsIssuedBy(serving, Authority(good), Now));
    }

    [Fact]
    public void A_serving_certificate_of_another_ca_is_replaced_by_one_of_the_current_ca()
    {
        var good = Issue();
        var stranger = Issue();
        var mixed = good with { CertificatePem = stranger.CertificatePem, KeyPem = stranger.KeyPem };

        var plan = Plan(mixed, Now);

        Assert.Equal("the serving certificate is not issued by the current CA", plan.Reason);
        using var serving = plan.Replacement!.LoadServingCertificate();
        Assert.True(CertificateRotation.IsIssuedBy(serving, Authority(good), Now));
    }

    [Fact]
    public void Renewal_is_due_once_less_than_a_third_of_the_life_is_left()
    {
        using var serving = Serving(Issue());

        Assert.False(CertificateRotation.NeedsRenewal(serving, Now.AddDays(59)));
        Assert.True(CertificateRotation.NeedsRenewal(serving, Now.AddDays(61)));
        Assert.True(CertificateRotation.NeedsRenewal(serving, Now.AddDays(100)));
    }

    [Fact]
    public void A_certificate_is_not_issued_by_an_unrelated_ca()
    {
        using var serving = Serving(Issue());

        Assert.False(CertificateRotation.IsIssuedBy(serving, Authority(Issue()), Now));
    }
}
