using YamlDotNet.Serialization;

namespace MedOps.Operator.Configuration;

/// <summary>
/// The YAML shape of the <c>--config</c> file. Unknown keys are errors, so that a misspelt
/// guardrail is reported at start-up instead of being silently ignored.
/// </summary>
internal sealed class OperatorConfigFile
{
    [YamlMember(Alias = "guardrails")]
    public GuardrailsSection? Guardrails { get; set; }

    [YamlMember(Alias = "defaults")]
    public DefaultsSection? Defaults { get; set; }

    [YamlMember(Alias = "audit")]
    public AuditSection? Audit { get; set; }

    /// <summary>The audit trail's storage: on or off, how long records are kept, how many at most.</summary>
    internal sealed class AuditSection
    {
        [YamlMember(Alias = "enabled")]
        public bool? Enabled { get; set; }

        [YamlMember(Alias = "retention")]
        public string? Retention { get; set; }

        [YamlMember(Alias = "maxRecordsPerChain")]
        public int? MaxRecordsPerChain { get; set; }

        [YamlMember(Alias = "recordsPerSegment")]
        public int? RecordsPerSegment { get; set; }
    }

    /// <summary>Policy limits the operator enforces on every workload it creates.</summary>
    internal sealed class GuardrailsSection
    {
        [YamlMember(Alias = "phiEgressCIDRs")]
        public List<string>? PhiEgressCidrs { get; set; }

        [YamlMember(Alias = "phiSourcePrefixes")]
        public List<string>? PhiSourcePrefixes { get; set; }

        [YamlMember(Alias = "phiStorageClasses")]
        public List<string>? PhiStorageClasses { get; set; }
    }

    /// <summary>Values used when a custom resource leaves a field empty.</summary>
    internal sealed class DefaultsSection
    {
        [YamlMember(Alias = "modelInitializerImage")]
        public string? ModelInitializerImage { get; set; }

        [YamlMember(Alias = "workspaceLifecycle")]
        public LifecycleSection? WorkspaceLifecycle { get; set; }
    }

    /// <summary>The lifecycle of workspaces without <c>spec.lifecycle</c>, in the same shape.</summary>
    internal sealed class LifecycleSection
    {
        [YamlMember(Alias = "idleTimeout")]
        public string? IdleTimeout { get; set; }

        [YamlMember(Alias = "maxSessionDuration")]
        public string? MaxSessionDuration { get; set; }

        [YamlMember(Alias = "shutdownWarning")]
        public string? ShutdownWarning { get; set; }

        [YamlMember(Alias = "activeHours")]
        public ActiveHoursSection? ActiveHours { get; set; }
    }

    /// <summary>Active hours, as in <c>spec.lifecycle.activeHours</c>.</summary>
    internal sealed class ActiveHoursSection
    {
        [YamlMember(Alias = "start")]
        public string? Start { get; set; }

        [YamlMember(Alias = "end")]
        public string? End { get; set; }

        [YamlMember(Alias = "timeZone")]
        public string? TimeZone { get; set; }

        [YamlMember(Alias = "days")]
        public List<string>? Days { get; set; }

        [YamlMember(Alias = "startAutomatically")]
        public bool StartAutomatically { get; set; }
    }
}
