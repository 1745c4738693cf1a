using MedOps.Api.V1Alpha1;
using MedOps.Runtime;
using MedOps.Runtime.Controllers;

namespace MedOps.Controllers.Workspaces;

/// <summary>Wires the Workspace controller: informers, owned children (VMs once KubeVirt is served), the reconciler.</summary>
public static class WorkspaceController
{
    /// <summary>The controller's name in metrics and logs.</summary>
    public const string Name = "workspace";

    /// <summary>Creates the controller and adds it to <paramref name="manager"/>.</summary>
    public static Controller<V1Alpha1Workspace> Register(Manager manager, ControllerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(settings);
        var informers = new WorkspaceInformers(manager);
        var reconciler = new WorkspaceReconciler(manager, informers, settings, TimeProvider.System);
        var controller = new Controller<V1Alpha1Workspace>(Name, informers.Workspaces, reconciler,
            new ControllerOptions { MaxConcurrentReconciles = settings.MaxConcurrentReconciles },
            manager.Loggers.CreateLogger("MedOps.Controllers.Workspace"));
        controller.Owns(informers.NetworkPolicies);
        // Registered when the first reconcile finds KubeVirt served, possibly long after the
        // controller started: a late handler is told about everything already cached.
        informers.OnKubeVirtStarted(kubeVirt => controller
            .Owns(kubeVirt.VirtualMachines)
            // The DataVolume is owned by the VM, not the workspace: map it by its label.
            .Watches(kubeVirt.DataVolumes, WorkspaceInformers.WorkspaceOf));
        manager.Add(controller);
        return controller;
    }
}
