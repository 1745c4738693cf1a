namespace MedOps.Operator.Configuration;

/// <summary>
/// The operator's flags. Names follow controller-runtime (kubebuilder's <c>main.go</c>) so that
/// platform engineers recognise them; the table also drives <c>--help</c>.
/// </summary>
internal static class OperatorFlags
{
    public const string Kubeconfig = "kubeconfig";
    public const string LeaderElect = "leader-elect";
    public const string LeaderElectionNamespace = "leader-election-namespace";
    public const string LeaseDuration = "leader-election-lease-duration";
    public const string RenewDeadline = "leader-election-renew-deadline";
    public const string RetryPeriod = "leader-election-retry-period";
    public const string MetricsBindAddress = "metrics-bind-address";
    public const string HealthProbeBindAddress = "health-probe-bind-address";
    public const string Namespace = "namespace";
    public const string MaxConcurrentReconciles = "max-concurrent-reconciles";
    public const string ModelInitializerImage = "model-initializer-image";
    public const string KubeApiQps = "kube-api-qps";
    public const string KubeApiBurst = "kube-api-burst";
    public const string Config = "config";
    public const string WebhookBindAddress = "webhook-bind-address";
    public const string WebhookSecret = "webhook-secret";
    public const string WebhookService = "webhook-service";
    public const string WebhookConfiguration = "webhook-configuration";
    public const string WebhookCertIssuer = "webhook-cert-issuer";
    public const string Help = "help";
    public const string Version = "version";

    /// <summary>Every flag that takes a value or is a switch, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<FlagSpec> All { get; } =
    [
        new(Kubeconfig, "file", "", "Path to a kubeconfig. Default: $KUBECONFIG, else ~/.kube/config, else the in-cluster service account."),
        new(LeaderElect, null, "false", "Reconcile only while holding the Lease \"medops-operator\", so that several replicas can run."),
        new(LeaderElectionNamespace, "namespace", "the pod's namespace, else default", "Namespace of the leader election Lease and of the audit trail's ConfigMaps."),
        new(LeaseDuration, "duration", "15s", "How long a standby waits before taking over a Lease that is not renewed."),
        new(RenewDeadline, "duration", "10s", "How long the leader retries renewing the Lease before it stops leading."),
        new(RetryPeriod, "duration", "2s", "Interval between attempts to acquire or renew the Lease."),
        new(MetricsBindAddress, "address", ":8080", "Address of the Prometheus /metrics endpoint, such as :8080 or 127.0.0.1:8080; 0 disables it."),
        new(HealthProbeBindAddress, "address", ":8081", "Address of the /healthz and /readyz endpoints."),
        new(Namespace, "namespace", "all namespaces", "Watch only this namespace."),
        new(MaxConcurrentReconciles, "n", "4", "Reconciles running at the same time per controller (at least 1)."),
        new(KubeApiQps, "qps", "auto", "Requests per second the operator sends the API server at most (client-side token bucket); -1 for no limit. auto: 100 until the API server shows API Priority and Fairness, then no client-side limit."),
        new(KubeApiBurst, "n", "200", "Requests the operator may send in a burst above --kube-api-qps."),
        new(ModelInitializerImage, "image", OperatorOptions.DefaultModelInitializerImage, "Image of the init container that downloads model weights."),
        new(Config, "file", "", "YAML file with guardrails (phiEgressCIDRs, phiSourcePrefixes, phiStorageClasses), defaults (modelInitializerImage, workspaceLifecycle) and audit (enabled, retention, maxRecordsPerChain, recordsPerSegment); flags override it."),
        new(WebhookBindAddress, "address", "0", "Address of the HTTPS admission webhooks (validating: path /validate; mutating: path /mutate), such as :9443; 0 serves no webhook. Needs --webhook-secret."),
        new(WebhookSecret, "namespace/name", "", "Secret holding the webhook's serving certificate (tls.crt, tls.key, ca.crt; ca.key when the operator issues it)."),
        new(WebhookService, "namespace/name", "", "Service in front of the webhook; the self-issued certificate names <name>.<namespace>.svc (and always localhost and 127.0.0.1)."),
        new(WebhookConfiguration, "name", "", "Name of the ValidatingWebhookConfiguration and MutatingWebhookConfiguration whose caBundle the operator keeps equal to its CA bundle (self-issued certificates only)."),
        new(WebhookCertIssuer, "self|external", "self", "self: the operator creates and rotates a CA and serving certificate in --webhook-secret; external: it only reads the Secret (cert-manager)."),
    ];

    /// <summary>Finds a flag by its name without dashes; null when there is no such flag.</summary>
    public static FlagSpec? Find(string name) => All.FirstOrDefault(flag => flag.Name == name);
}

/// <summary>One flag: its name without dashes, the placeholder for its value (null for a switch), default and help.</summary>
internal sealed record FlagSpec(string Name, string? ValueName, string DefaultText, string Help)
{
    /// <summary>A switch (<c>--leader-elect</c>) takes no separate value; <c>--leader-elect=false</c> still works.</summary>
    public bool IsSwitch => ValueName is null;
}
