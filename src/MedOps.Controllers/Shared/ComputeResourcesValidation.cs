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
    /// The first problem of <paramref name="resources"/>, or null. The examples go into the
    /// messages (for example <c>"4"</c> and <c>"16Gi"</c>), so each kind suggests sizes that fit it.
    /// </summary>
    public static Problem? Check(ComputeResources? resources, string cpuExample, string memoryExample)
    {
        if (resources is null)
        {
            return Problem($"spec.resources is missing: set cpu and memory, for example cpu: \"{cpuExample}\" and memory: {memoryExample}.");
        }
        var problem = CheckQuantity("spec.resources.cpu", resources.Cpu, $"{cpuExample}, \"500m\" or \"1.5\"")
            ?? CheckQuantity("spec.resources.memory", resources.Memory, $"{memoryExample} or 512Mi");
        if (problem is not null)
        {
            return problem;
        }
        var minMemory = resources.Gpu?.MinMemory;
        if (minMemory is not null && !GpuPlacement.TryGetMinMemoryMiB(minMemory, out _, out var error))
        {
            return Problem($"spec.resources.gpu.minMemory {error}: write the least memory one GPU needs, such as 40Gi or 81920Mi, or remove the field.");
        }
        return null;
    }

    private static Problem? CheckQuantity(string field, string? text, string examples)
    {
        if (!KubernetesQuantity.TryParse(text, out _, out var value))
        {
            return Problem($"{field} \"{text}\" is not a Kubernetes quantity: write a number with an optional suffix, such as {examples}.");
        }
        return value < 0
            ? Problem($"{field} \"{text}\" is negative: write a positive quantity, such as {examples}.")
            : null;
    }

    private static Problem Problem(string message) => new(InvalidResources, message);
}
