using MedOps.Api.V1Alpha1;
using MedOps.Runtime;
using MedOps.Runtime.Controllers;

namespace MedOps.Controllers.Workspaces;

/// <summary>Wires the Workspace controller: informers, owned children, the KubeVirt discovery (which adds the VM watches once KubeVirt is served), the reconciler.</summary>
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
        var discovery = new KubeVirtDiscovery(manager, informers);
        var reconciler = new WorkspaceReconciler(manager, informers, discovery, settings, TimeProvider.System);
        var controller = new Controller<V1Alpha1Workspace>(Name, informers.Workspaces, reconciler,
            new ControllerOptions { MaxConcurrentReconciles = settings.MaxConcurrentReconciles },
            manager.Loggers.CreateLogger("MedOps.Controllers.Workspace"));
        discovery.ServeController(controller);
        controller.Owns(informers.NetworkPolicies);
        controller.Watches(informers.Claims, WorkspaceInformers.WorkspaceOf);
        // The VM and DataVolume watches are registered by the discovery, once KubeVirt is served.
        manager.Add(discovery);
        manager.Add(controller);
        return controller;
    }
}
