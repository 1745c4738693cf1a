using System.Security.Cryptography.X509Certificates;
using MedOps.Runtime.Certificates;

namespace MedOps.Operator.Webhook;

/// <summary>
/// The certificate the webhook presents right now. TLS handshakes read it; the certificate
/// component swaps it when the Secret changes, so a rotated certificate is served without a
/// restart.
/// </summary>
internal sealed class ServingCertificateSource
{
    private volatile Loaded? current;

    /// <summary>The certificate to present; null until the Secret holds one (handshakes fail until then).</summary>
    public X509Certificate2? Current => current?.Certificate;

    /// <summary>The CA bundle that vouches for <see cref="Current"/>.</summary>
    public string? CaBundlePem => current?.CaBundlePem;

    /// <summary>Serves <paramref name="bundle"/>; returns true when it differs from what was served.</summary>
    public bool Use(CertificateBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var previous = current;
        if (previous is not null && previous.CertificatePem == bundle.CertificatePem && previous.CaBundlePem == bundle.CaBundlePem)
        {
            return false;
        }
        current = new Loaded(bundle.LoadServingCertificate(), bundle.CertificatePem, bundle.CaBundlePem);
        // The old certificate object stays alive: a handshake in flight may still hold it.
        return true;
    }

    private sealed record Loaded(X509Certificate2 Certificate, string CertificatePem, string CaBundlePem);
}
