using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Controllers.Shared;

namespace MedOps.Controllers.Workspaces.Builders;

/// <summary>
/// The NetworkPolicy <c>&lt;name&gt;</c> that confines a PHI or LimitedDataSet workspace's VM
/// (its virt-launcher pod carries the template label <c>medops.io/workspace: &lt;name&gt;</c>).
/// </summary>
public static class WorkspaceNetworkPolicyBuilder
{
    /// <summary>
    /// The policy for a PHI or LimitedDataSet workspace; null for DeIdentified and Public. It
    /// selects the VM's pod and allows, with the MedicalModel policy's choices:
    /// <list type="bullet">
    /// <item>ingress from pods of the same namespace only, on any port (SSH, RDP, Jupyter: a
    /// workspace has no single serving port), and from nowhere else;</item>
    /// <item>egress to DNS (UDP/TCP 53 to pods labelled <c>k8s-app: kube-dns</c>), to any pod of
    /// the same namespace, and to each of <paramref name="phiEgressCidrs"/>.</item>
    /// </list>
    /// </summary>
    public static V1NetworkPolicy? Build(V1Alpha1Workspace workspace, IReadOnlyList<string> phiEgressCidrs)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(phiEgressCidrs);
        if (!DataConfinement.IsConfined(workspace.Spec.DataClassification))
        {
            return null;
        }
        var owner = ChildOwner.Of(workspace);
        // A VM has no single serving port: the same namespace may reach it on any port.
        IList<V1NetworkPolicyIngressRule> ingress = [new V1NetworkPolicyIngressRule { FromProperty = [DataConfinement.SameNamespace()] }];
        return DataConfinement.Policy(owner, ChildComponent.Workspace, ingress, DataConfinement.SameNamespace(), phiEgressCidrs);
    }
}
