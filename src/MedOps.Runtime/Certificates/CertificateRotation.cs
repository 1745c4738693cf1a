using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MedOps.Runtime.Certificates;

/// <summary>How long issued certificates live; each is renewed once less than a third of its life is left.</summary>
/// <param name="AuthorityValidity">Life of a CA (default one year).</param>
/// <param name="ServingValidity">Life of a serving certificate (default 90 days, as cert-manager's default).</param>
public sealed record CertificatePolicy(TimeSpan AuthorityValidity, TimeSpan ServingValidity)
{
    /// <summary>One year for the CA, 90 days for the serving certificate.</summary>
    public static CertificatePolicy Default { get; } = new(TimeSpan.FromDays(365), TimeSpan.FromDays(90));
}

/// <summary>What a serving certificate must name.</summary>
/// <param name="DnsNames">The Service's names (<c>svc.ns.svc</c>, <c>svc.ns.svc.cluster.local</c>) and any other host.</param>
/// <param name="IpAddresses">Addresses the API server may dial directly (127.0.0.1 for an operator run on the control plane's machine).</param>
public sealed record ServingIdentity(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> IpAddresses);

/// <summary>The outcome of a rotation check: a new bundle to store and why, or nothing to do.</summary>
public sealed record RotationPlan(CertificateBundle? Replacement, string Reason)
{
    /// <summary>True when the Secret must be written.</summary>
    public bool Rotates => Replacement is not null;
}

/// <summary>
/// Decides whether a self-issued bundle must change, and makes the new one. The CA is rotated
/// in two steps, before it expires: first the new CA joins the bundle (first, with the old one
/// kept until it expires) while the old serving certificate stays; only the next check, after
/// the bundle has been published to the API server, replaces the serving certificate with one
/// from the new CA. So the API server trusts the new CA before it is ever shown a certificate
/// signed by it. Pure: the same bundle, names and time give the same decision.
/// </summary>
public static class CertificateRotation
{
    /// <summary>The common name of issued CAs.</summary>
    public const string AuthorityName = "medops-webhook-ca";

    /// <summary>Checks <paramref name="current"/> (null: none yet) against <paramref name="identity"/> at <paramref name="now"/>.</summary>
    public static RotationPlan Plan(CertificateBundle? current, ServingIdentity identity, DateTimeOffset now, CertificatePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(policy);
        if (current is null)
        {
            return Issue(null, [], identity, now, policy, "there is no certificate yet");
        }

        IReadOnlyList<X509Certificate2> bundle;
        X509Certificate2? authority;
        try
        {
            bundle = current.LoadCaBundle();
            authority = current.CaKeyPem is null || bundle.Count == 0 ? null : X509Certificate2.CreateFromPem(bundle[0].ExportCertificatePem(), current.CaKeyPem);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            return Issue(null, [], identity, now, policy, $"the stored CA cannot be read ({exception.Message})");
        }
        if (authority is null)
        {
            return Issue(null, [], identity, now, policy, "the stored bundle has no CA key");
        }
        var stillValid = bundle.Where(ca => ca.NotAfter > now.UtcDateTime).ToList();
        if (NeedsRenewal(authority, now))
        {
            var next = CertificateIssuer.NewAuthority(AuthorityName, now, policy.AuthorityValidity);
            var bundlePem = string.Concat(new[] { next }.Concat(stillValid).Select(CertificateIssuer.CertificatePem));
            return new RotationPlan(current with { CaBundlePem = bundlePem, CaKeyPem = CertificateIssuer.PrivateKeyPem(next) },
                $"the CA expires at {authority.NotAfter.ToUniversalTime():u}: a new CA joins the bundle; the serving certificate follows once the bundle is published");
        }

        var problem = PodProblem(current, authority, identity, now);
        if (problem is not null)
        {
            return Issue(authority, stillValid.Skip(1).ToList(), identity, now, policy, problem);
        }
        return new RotationPlan(null, $"the certificate is valid until {LoadOrNull(current)?.NotAfter.ToUniversalTime():u}");
    }

    /// <summary>True once less than a third of the certificate's life is left.</summary>
    public static bool NeedsRenewal(X509Certificate2 certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var life = certificate.NotAfter - certificate.NotBefore;
        return certificate.NotAfter - now.UtcDateTime < life / 3;
    }

    /// <summary>True when <paramref name="certificate"/> names every DNS name and address of <paramref name="identity"/>.</summary>
    public static bool Names(X509Certificate2 certificate, ServingIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(identity);
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (extension is null)
        {
            return false;
        }
        var dns = extension.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var ips = extension.EnumerateIPAddresses().ToHashSet();
        return identity.DnsNames.All(dns.Contains) && identity.IpAddresses.All(ips.Contains);
    }

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="authority"/> at <paramref name="now"/>.</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 authority, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(certificate);
    }

    private static string? PodProblem(CertificateBundle current, X509Certificate2 authority, ServingIdentity identity, DateTimeOffset now)
    {
        var serving = LoadOrNull(current);
        if (serving is null)
        {
            return "the serving certificate or its key cannot be read";
        }
        if (!IsIssuedBy(serving, authority, now))
        {
            return "the serving certificate is not issued by the current CA";
        }
        if (NeedsRenewal(serving, now))
        {
            return $"the serving certificate expires at {serving.NotAfter.ToUniversalTime():u}";
        }
        return Names(serving, identity) ? null : "the serving certificate does not name every host of the webhook";
    }

    private static X509Certificate2? LoadOrNull(CertificateBundle bundle)
    {
        try
        {
            return bundle.LoadServingCertificate();
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            // ArgumentException: a readable key that belongs to another certificate.
            return null;
        }
    }

    private static RotationPlan Issue(
        X509Certificate2? authority, IReadOnlyList<X509Certificate2> previousAuthorities, ServingIdentity identity,
        DateTimeOffset now, CertificatePolicy policy, string reason)
    {
        var ca = authority ?? CertificateIssuer.NewAuthority(AuthorityName, now, policy.AuthorityValidity);
        using var serving = CertificateIssuer.NewServingCertificate(ca, identity.DnsNames, identity.IpAddresses, now, policy.ServingValidity);
        var bundle = string.Concat(new[] { ca }.Concat(previousAuthorities.Where(p => p.Thumbprint != ca.Thumbprint)).Select(CertificateIssuer.CertificatePem));
        var replacement = new CertificateBundle(bundle, CertificateIssuer.PrivateKeyPem(ca), CertificateIssuer.CertificatePem(serving), CertificateIssuer.PrivateKeyPem(serving));
        return new RotationPlan(replacement, reason);
    }
}
