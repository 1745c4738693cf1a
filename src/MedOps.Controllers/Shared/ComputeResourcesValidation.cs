using MedOps.Api.V1Alpha1;

namespace MedOps.Controllers.Shared;

/// <summary>
/// The checks of a <see cref="ComputeResources"/> block that a 1.20 schema cannot make (quantities
/// that parse, are not negative, and a GPU memory floor in a usable unit), shared by every kind
/// that has one.
/// </summary>
public static class ComputeResourcesValidation
{
    /// <summary>The reason of every problem found here.</summary>
    public const string InvalidResources = "InvalidResources";

    /// <summary>
    /// Every problem of <paramref name="resources"/>, in field order. The examples go into the
    /// messages (for example <c>"4"</c> and <c>"16Gi"</c>), so each kind suggests sizes that fit it.
    /// </summary>
    public static IEnumerable<Problem> Problems(ComputeResources? resources, string cpuExample, string memoryExample)
    {
        if (resources is null)
        {
            yield return Problem("spec.resources", $"spec.resources is missing: set cpu and memory, for example cpu: \"{cpuExample}\" and memory: {memoryExample}.");
            yield break;
        }
        if (CheckQuantity("spec.resources.cpu", resources.Cpu, $"{cpuExample}, \"500m\" or \"1.5\"") is { } cpu)
        {
            yield return cpu;
        }
        if (CheckQuantity("spec.resources.memory", resources.Memory, $"{memoryExample} or 512Mi") is { } memory)
        {
            yield return memory;
        }
        var minMemory = resources.Gpu?.MinMemory;
        if (minMemory is not null && !GpuPlacement.TryGetMinMemoryMiB(minMemory, out _, out var error))
        {
            yield return Problem("spec.resources.gpu.minMemory", $"spec.resources.gpu.minMemory {error}: write the least memory one GPU needs, such as 40Gi or 81920Mi, or remove the field.");
        }
    }

    private static Problem? CheckQuantity(string field, string? text, string examples)
    {
        if (!KubernetesQuantity.TryParse(text, out _, out var value))
        {
            return Problem(field, $"{field} \"{text}\" is not a Kubernetes quantity: write a number with an optional suffix, such as {examples}.");
        }
        return value < 0
            ? Problem(field, $"{field} \"{text}\" is negative: write a positive quantity, such as {examples}.")
            : null;
    }

    private static Problem Problem(string field, string message) => new(InvalidResources, message, field);
}
