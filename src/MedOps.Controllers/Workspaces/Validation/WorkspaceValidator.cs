using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.Workspaces.Validation;

/// <summary>
/// The checks of a Workspace that its CRD schema cannot make (Kubernetes 1.20 has no CEL): the
/// image's exactly-one-of rule, quantities that must be usable, and a name that can name the VM
/// and be the value of its selector label. Pure, so the reconciler reports <c>Stalled</c> and
/// waits for the next spec change instead of retrying. The admission webhook refuses a
/// workspace with any of them.
/// </summary>
public static class WorkspaceValidator
{
    /// <summary>The first problem found (name, image, memory, disk size), or null.</summary>
    public static Problem? Validate(V1Alpha1Workspace workspace) => Problems(workspace).FirstOrDefault();

    /// <summary>Every problem, in the order name, image, memory, disk size, lifecycle, scheduling.</summary>
    public static IEnumerable<Problem> Problems(V1Alpha1Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return new[]
        {
            CheckName(workspace.Metadata?.Name),
            CheckImage(workspace.Spec.Image),
            CheckQuantity("spec.memory", workspace.Spec.Memory, "1Gi or 8Gi"),
            CheckQuantity("spec.disk.size", workspace.Spec.Disk?.Size, "20Gi or 100Gi"),
            CheckLifecycle(workspace.Spec.Lifecycle),
        }.OfType<Problem>()
            .Concat(PodSchedulingValidation.Problems(workspace.Spec.NodeSelector, workspace.Spec.Tolerations));
    }

    private static Problem? CheckLifecycle(WorkspaceLifecycle? lifecycle)
    {
        if (lifecycle is null)
        {
            return null;
        }
        if (lifecycle.MaxSessionDuration is { } max && (!Api.Serialization.GoDuration.TryParse(max, out var session) || session <= TimeSpan.Zero))
        {
            return new Problem(WorkspaceReasons.InvalidLifecycle,
                $"spec.lifecycle.maxSessionDuration \"{max}\" is not a positive Go duration such as 8h or 12h30m.", "spec.lifecycle.maxSessionDuration");
        }
        if (lifecycle.IdleTimeout is { } idle && (!Api.Serialization.GoDuration.TryParse(idle, out var quiet) || quiet <= TimeSpan.Zero))
        {
            return new Problem(WorkspaceReasons.InvalidLifecycle,
                $"spec.lifecycle.idleTimeout \"{idle}\" is not a positive Go duration such as 30m.", "spec.lifecycle.idleTimeout");
        }
        if (!Api.Serialization.GoDuration.TryParse(lifecycle.ShutdownWarning, out var warning) || warning < TimeSpan.Zero)
        {
            return new Problem(WorkspaceReasons.InvalidLifecycle,
                $"spec.lifecycle.shutdownWarning \"{lifecycle.ShutdownWarning}\" is not a Go duration such as 10m.", "spec.lifecycle.shutdownWarning");
        }
        if (lifecycle.ActiveHours is { } hours && !Lifecycle.ActiveWindows.TryParse(hours, out _, out _, out _, out var error, out var field))
        {
            return new Problem(WorkspaceReasons.InvalidLifecycle, error + ".", field);
        }
        return null;
    }

    private static Problem? CheckName(string? name) =>
        name is not null && name.Length <= KubernetesNames.MaxLabelLength && !name.Contains('.', StringComparison.Ordinal) && KubernetesNames.IsDns1123Subdomain(name)
            ? null
            : new Problem(
                WorkspaceReasons.InvalidName,
                $"metadata.name \"{name}\" cannot name the virtual machine: use at most {KubernetesNames.MaxLabelLength} lower-case letters, digits and '-', starting and ending with a letter or digit (no '.'), then recreate the Workspace under that name.", "metadata.name");

    private static Problem? CheckImage(WorkspaceImage? image)
    {
        var set = new List<string>();
        if (!string.IsNullOrEmpty(image?.ContainerDisk))
        {
            set.Add("containerDisk");
        }
        if (!string.IsNullOrEmpty(image?.Http))
        {
            set.Add("http");
        }
        if (image?.Pvc is not null)
        {
            set.Add("pvc");
        }
        return set.Count switch
        {
            1 => null,
            0 => new Problem(WorkspaceReasons.InvalidImageSource,
                "spec.image has no source: set exactly one of containerDisk (for example quay.io/containerdisks/ubuntu:22.04), http or pvc.", "spec.image"),
            _ => new Problem(WorkspaceReasons.InvalidImageSource,
                $"spec.image sets {string.Join(" and ", set)}: keep exactly one of containerDisk, http and pvc.", "spec.image"),
        };
    }

    private static Problem? CheckQuantity(string field, string? text, string examples)
    {
        if (!KubernetesQuantity.TryParse(text, out _, out var value))
        {
            return new Problem(WorkspaceReasons.InvalidResources,
                $"{field} \"{text}\" is not a Kubernetes quantity: write a number with an optional suffix, such as {examples}.", field);
        }
        return value <= 0
            ? new Problem(WorkspaceReasons.InvalidResources, $"{field} \"{text}\" must be positive, such as {examples}.", field)
            : null;
    }
}
