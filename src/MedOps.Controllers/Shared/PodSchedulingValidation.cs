using k8s.Models;

namespace MedOps.Controllers.Shared;

/// <summary>
/// The checks of <c>spec.nodeSelector</c> and <c>spec.tolerations</c> that a 1.20 schema cannot
/// make, shared by every kind that has them: label keys and values as Kubernetes spells them, and
/// the toleration rules the API server would otherwise only apply when the operator creates the
/// pod (where the user would see no error at all).
/// </summary>
public static class PodSchedulingValidation
{
    /// <summary>The reason of every problem found here.</summary>
    public const string InvalidScheduling = "InvalidScheduling";

    /// <summary>
    /// Every problem, node selector first, then each toleration in order. <paramref name="at"/>
    /// is the path of the object holding the two fields (<c>spec</c>, or
    /// <c>spec.model.template</c> for a TrainingJob's registered model).
    /// </summary>
    public static IEnumerable<Problem> Problems(IDictionary<string, string>? nodeSelector, IList<V1Toleration>? tolerations, string at = "spec")
    {
        foreach (var (key, value) in (nodeSelector ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!KubernetesNames.IsQualifiedName(key))
            {
                yield return Problem($"{at}.nodeSelector", $"{at}.nodeSelector key \"{key}\" is not a label key: write an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, such as medops.io/pool.");
            }
            else if (!KubernetesNames.IsLabelValue(value))
            {
                yield return Problem($"{at}.nodeSelector.{key}", $"{at}.nodeSelector[\"{key}\"] value \"{value}\" is not a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, or empty.");
            }
        }
        for (var i = 0; i < (tolerations?.Count ?? 0); i++)
        {
            if (Check(tolerations![i], $"{at}.tolerations[{i}]") is { } problem)
            {
                yield return problem;
            }
        }
    }

    private static Problem? Check(V1Toleration toleration, string field)
    {
        var exists = toleration.OperatorProperty == "Exists";
        if (string.IsNullOrEmpty(toleration.Key))
        {
            if (!exists)
            {
                return Problem($"{field}.operator", $"{field} has no key, which tolerates every taint and needs operator: Exists; set a key or operator: Exists.");
            }
        }
        else if (!KubernetesNames.IsQualifiedName(toleration.Key))
        {
            return Problem($"{field}.key", $"{field}.key \"{toleration.Key}\" is not a taint key: write an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', such as nvidia.com/gpu.");
        }
        if (exists && !string.IsNullOrEmpty(toleration.Value))
        {
            return Problem($"{field}.value", $"{field}.value must be empty with operator: Exists (it matches any value); remove the value or use operator: Equal.");
        }
        if (!exists && !KubernetesNames.IsLabelValue(toleration.Value))
        {
            return Problem($"{field}.value", $"{field}.value \"{toleration.Value}\" is not a taint value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.");
        }
        if (toleration.TolerationSeconds is { } seconds && toleration.Effect != "NoExecute")
        {
            return Problem($"{field}.tolerationSeconds", $"{field}.tolerationSeconds ({seconds}) only applies to effect: NoExecute; set that effect or remove tolerationSeconds.");
        }
        return null;
    }

    private static Problem Problem(string field, string message) => new(InvalidScheduling, message, field);
}
