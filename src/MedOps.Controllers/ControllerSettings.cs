namespace MedOps.Controllers;

/// <summary>What the operator's flags and configuration file tell the controllers.</summary>
public sealed record ControllerSettings
{
    /// <summary>
    /// The built-in image of the init container: the one <c>hack/images.sh</c> builds from
    /// <c>src/MedOps.ModelInitializer</c> (import it into your nodes, or push it to your registry
    /// and set <c>--model-initializer-image</c>).
    /// </summary>
    public const string DefaultModelInitializerImage = "localhost/medops/model-initializer:0.1.0";

    /// <summary>Image of the init container that fetches models and verifies digests.</summary>
    public string ModelInitializerImage { get; init; } = DefaultModelInitializerImage;

    /// <summary>CIDRs that PHI and LimitedDataSet workloads may reach besides DNS and their namespace.</summary>
    public IReadOnlyList<string> PhiEgressCidrs { get; init; } = [];

    /// <summary>The PHI guardrails the admission webhook enforces.</summary>
    public Admission.GuardrailSettings Guardrails { get; init; } = new();

    /// <summary>
    /// <c>defaults.workspaceLifecycle</c>: the lifecycle (maximum session, active hours) of workspaces
    /// whose spec has none; null: none.
    /// </summary>
    public Api.V1Alpha1.WorkspaceLifecycle? DefaultWorkspaceLifecycle { get; init; }

    /// <summary>
    /// Where the controllers record what the operator itself did (a version going live, serving
    /// stopped, training finished); <see cref="OperatorAudit.Off"/> records nothing.
    /// </summary>
    public Runtime.Audit.IAuditSink Audit { get; init; } = OperatorAudit.Off;

    /// <summary>Workers per controller.</summary>
    public int MaxConcurrentReconciles { get; init; } = 4;
}
