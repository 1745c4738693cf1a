using k8s.Models;

namespace MedOps.Controllers.Shared;

/// <summary>
/// Security contexts that meet the <c>restricted</c> Pod Security Standard, so the operator's
/// pods run in namespaces that enforce it (where PHI workloads belong).
/// </summary>
public static class RestrictedSecurity
{
    /// <summary>
    /// The UID and GID the pods run as. <c>runAsNonRoot</c> alone makes the kubelet refuse every
    /// image whose USER is root or a user name (the Triton and PyTorch images among them); a
    /// fixed non-root UID runs them all. 1000 is the UID KServe's storage initializer runs as.
    /// </summary>
    public const long RunAsUser = 1000;

    /// <summary>
    /// The pod-level context: <c>runAsNonRoot</c>, <c>runAsUser</c>/<c>runAsGroup</c>
    /// <see cref="RunAsUser"/> and the <c>RuntimeDefault</c> seccomp profile. No
    /// <c>fsGroup</c>: it would make the kubelet chown every file of a model volume on each mount.
    /// </summary>
    public static V1PodSecurityContext Pod() => new()
    {
        RunAsNonRoot = true,
        RunAsUser = RunAsUser,
        RunAsGroup = RunAsUser,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    /// <summary>The container-level context: no privilege escalation, all capabilities dropped.</summary>
    public static V1SecurityContext Container() => new()
    {
        AllowPrivilegeEscalation = false,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
    };
}
