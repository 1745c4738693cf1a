using MedOps.Operator.Http;

namespace MedOps.Operator.Configuration;

/// <summary>How the admission webhook is served: where, with which certificate, issued by whom.</summary>
public sealed record WebhookOptions
{
    /// <summary><c>--webhook-bind-address</c>.</summary>
    public required BindAddress BindAddress { get; init; }

    /// <summary><c>--webhook-secret</c>: the Secret with the serving certificate.</summary>
    public required NamespacedName Secret { get; init; }

    /// <summary><c>--webhook-service</c>: the Service the certificate must name; null out of cluster.</summary>
    public NamespacedName? Service { get; init; }

    /// <summary><c>--webhook-configuration</c>: the ValidatingWebhookConfiguration whose caBundle is kept current.</summary>
    public string? ConfigurationName { get; init; }

    /// <summary><c>--webhook-cert-issuer</c>: true when the operator issues and rotates the certificate itself.</summary>
    public bool SelfIssued { get; init; } = true;
}

/// <summary>A namespaced object's <c>namespace/name</c>.</summary>
public sealed record NamespacedName(string Namespace, string Name)
{
    /// <inheritdoc />
    public override string ToString() => $"{Namespace}/{Name}";
}
