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
    }
}
