using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MedOps.Runtime.Certificates;

/// <summary>
/// A webhook's TLS material as it sits in its Secret: the CA bundle the API server trusts
/// (<c>ca.crt</c>, current CA first, then earlier CAs that still vouch for a serving certificate
/// in use), the current CA's key (<c>ca.key</c>, only when the operator issues its own), and the
/// serving certificate and key (<c>tls.crt</c>, <c>tls.key</c>). The key names are those of
/// <c>kubernetes.io/tls</c> Secrets and of cert-manager, so either can fill the Secret.
/// </summary>
public sealed record CertificateBundle(string CaBundlePem, string? CaKeyPem, string CertificatePem, string KeyPem)
{
    /// <summary>The CA bundle's key in the Secret.</summary>
    public const string CaBundleKey = "ca.crt";

    /// <summary>The CA key's key in the Secret.</summary>
    public const string CaKeyKey = "ca.key";

    /// <summary>The serving certificate's key in the Secret.</summary>
    public const string CertificateKey = "tls.crt";

    /// <summary>The serving key's key in the Secret.</summary>
    public const string KeyKey = "tls.key";

    /// <summary>Reads the bundle from Secret data; null when the serving certificate or its key is missing.</summary>
    public static CertificateBundle? FromSecretData(IDictionary<string, byte[]>? data)
    {
        string? Text(string key) => data is not null && data.TryGetValue(key, out var value) && value.Length > 0 ? Encoding.UTF8.GetString(value) : null;
        var certificate = Text(CertificateKey);
        var key = Text(KeyKey);
        return certificate is null || key is null ? null : new CertificateBundle(Text(CaBundleKey) ?? "", Text(CaKeyKey), certificate, key);
    }

    /// <summary>The Secret data for this bundle.</summary>
    public Dictionary<string, byte[]> ToSecretData()
    {
        var data = new Dictionary<string, byte[]>
        {
            [CaBundleKey] = Encoding.UTF8.GetBytes(CaBundlePem),
            [CertificateKey] = Encoding.UTF8.GetBytes(CertificatePem),
            [KeyKey] = Encoding.UTF8.GetBytes(KeyPem),
        };
        if (CaKeyPem is not null)
        {
            data[CaKeyKey] = Encoding.UTF8.GetBytes(CaKeyPem);
        }
        return data;
    }

    /// <summary>The serving certificate with its private key, ready for TLS.</summary>
    public X509Certificate2 LoadServingCertificate() => X509Certificate2.CreateFromPem(CertificatePem, KeyPem);

    /// <summary>The certificates of <see cref="CaBundlePem"/>, in order.</summary>
    public IReadOnlyList<X509Certificate2> LoadCaBundle()
    {
        var collection = new X509Certificate2Collection();
        if (CaBundlePem.Length > 0)
        {
            collection.ImportFromPem(CaBundlePem);
        }
        return [.. collection];
    }
}
