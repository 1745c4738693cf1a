using MedOps.Operator.Http;

namespace MedOps.Operator.Configuration;

/// <summary>
/// Everything the operator process was told on its command line and in its <c>--config</c> file,
/// validated. Flags override the file; the file overrides the built-in defaults.
/// </summary>
public sealed record OperatorOptions
{
    /// <summary>The name of the Lease (and of the process in logs and metrics).</summary>
    public const string LeaseName = "medops-operator";

    /// <summary>The built-in default of <see cref="ModelInitializerImage"/>.</summary>
    public const string DefaultModelInitializerImage = MedOps.Controllers.ControllerSettings.DefaultModelInitializerImage;

    /// <summary><c>--kubeconfig</c>; null when not given (see the resolution order in api.md).</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary><c>--leader-elect</c>: reconcile only while holding the Lease <see cref="LeaseName"/>.</summary>
    public bool LeaderElect { get; init; }

    /// <summary><c>--leader-election-namespace</c>: the namespace of the Lease.</summary>
    public string LeaderElectionNamespace { get; init; } = "default";

    /// <summary><c>--leader-election-lease-duration</c>: how long a standby waits before taking over an unrenewed Lease.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>--leader-election-renew-deadline</c>: how long the leader keeps trying to renew before it gives up leading.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>--leader-election-retry-period</c>: the interval between acquire and renew attempts.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>--metrics-bind-address</c>: where <c>/metrics</c> is served; null when disabled with <c>0</c>.</summary>
    public BindAddress? MetricsBindAddress { get; init; } = new(null, false, 8080);

    /// <summary><c>--health-probe-bind-address</c>: where <c>/healthz</c> and <c>/readyz</c> are served.</summary>
    public BindAddress HealthProbeBindAddress { get; init; } = new(null, false, 8081);

    /// <summary><c>--namespace</c>: the only namespace to watch; null to watch all namespaces.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary>The client-side rate limit used when <c>--kube-api-qps</c> is not given, until the apiserver shows API Priority and Fairness.</summary>
    public const double DefaultKubeApiQps = 100;

    /// <summary>
    /// <c>--kube-api-qps</c>: client-side request rate limit; 0 or less turns it off. Null (the
    /// default) limits at <see cref="DefaultKubeApiQps"/> only until the apiserver shows API
    /// Priority and Fairness, which protects it better than any one client can.
    /// </summary>
    public double? KubeApiQps { get; init; }

    /// <summary><c>--kube-api-burst</c>: client-side burst.</summary>
    public int KubeApiBurst { get; init; } = 200;

    /// <summary><c>--max-concurrent-reconciles</c>: reconcile workers per controller (at least 1).</summary>
    public int MaxConcurrentReconciles { get; init; } = 4;

    /// <summary><c>--model-initializer-image</c> or <c>defaults.modelInitializerImage</c> in the config file.</summary>
    public string ModelInitializerImage { get; init; } = DefaultModelInitializerImage;

    /// <summary>
    /// <c>guardrails.phiEgressCIDRs</c> from the config file: the only destinations that workloads
    /// handling PHI may reach, in CIDR notation (validated).
    /// </summary>
    public IReadOnlyList<string> PhiEgressCidrs { get; init; } = [];

    /// <summary><c>guardrails.phiSourcePrefixes</c>: model source prefixes allowed for PHI and LimitedDataSet models.</summary>
    public IReadOnlyList<string> PhiSourcePrefixes { get; init; } = Controllers.Admission.GuardrailSettings.DefaultPhiSourcePrefixes;

    /// <summary><c>guardrails.phiStorageClasses</c>: StorageClasses allowed for PHI and LimitedDataSet disks and training outputs.</summary>
    public IReadOnlyList<string> PhiStorageClasses { get; init; } = [];

    /// <summary><c>defaults.workspaceLifecycle</c>: the lifecycle of workspaces without <c>spec.lifecycle</c>.</summary>
    public Api.V1Alpha1.WorkspaceLifecycle? DefaultWorkspaceLifecycle { get; init; }

    /// <summary><c>audit</c> in the config file: the audit trail's storage.</summary>
    public AuditSettings Audit { get; init; } = new();

    /// <summary>The admission webhook (<c>--webhook-*</c>); null when <c>--webhook-bind-address</c> is not given or 0.</summary>
    public WebhookOptions? Webhook { get; init; }

    /// <summary><c>--config</c>: the file the guardrails and defaults came from, if any.</summary>
    public string? ConfigFilePath { get; init; }
}
