using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MedOps.Runtime.Certificates;

/// <summary>
/// Makes a private CA and serving certificates signed by it (ECDSA P-256, as cert-manager's
/// and controller-runtime's self-signed setups use). Certificates start five minutes in the
/// past so that a clock a little behind on the API server's side still accepts them.
/// </summary>
public static class CertificateIssuer
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>A new self-signed CA valid from <paramref name="now"/> for <paramref name="validity"/>, with its key.</summary>
    public static X509Certificate2 NewAuthority(string commonName, DateTimeOffset now, TimeSpan validity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now - ClockSkew, now + validity);
    }

    /// <summary>
    /// A serving certificate for <paramref name="dnsNames"/> and <paramref name="ipAddresses"/>, signed
    /// by <paramref name="authority"/> (which must hold its key), valid for <paramref name="validity"/>
    /// but never past the CA's own end.
    /// </summary>
    public static X509Certificate2 NewServingCertificate(
        X509Certificate2 authority, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> ipAddresses, DateTimeOffset now, TimeSpan validity)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(ipAddresses);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = dnsNames.Count > 0 ? dnsNames[0] : ipAddresses[0].ToString();
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }
        foreach (var address in ipAddresses)
        {
            names.AddIpAddress(address);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var notAfter = now + validity < authority.NotAfter ? now + validity : new DateTimeOffset(authority.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(authority, now - ClockSkew, notAfter, serial);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>The PEM of a certificate.</summary>
    public static string CertificatePem(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    /// <summary>The PKCS#8 PEM of a certificate's ECDSA private key.</summary>
    public static string PrivateKeyPem(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("the certificate has no ECDSA private key", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }
}
