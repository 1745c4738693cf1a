using MedOps.Api.V1Alpha1;
using MedOps.Runtime;
using MedOps.Runtime.Controllers;

namespace MedOps.Controllers.TrainingJobs;

/// <summary>Wires the TrainingJob controller: informers, owned children, the claim watch, the reconciler.</summary>
public static class TrainingJobController
{
    /// <summary>The controller's name in metrics and logs.</summary>
    public const string Name = "trainingjob";

    /// <summary>Creates the controller and adds it to <paramref name="manager"/>.</summary>
    public static Controller<V1Alpha1TrainingJob> Register(Manager manager, ControllerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(settings);
        var informers = new TrainingJobInformers(manager);
        var reconciler = new TrainingJobReconciler(manager, informers, settings, TimeProvider.System);
        var controller = new Controller<V1Alpha1TrainingJob>(Name, informers.Jobs, reconciler,
            new ControllerOptions { MaxConcurrentReconciles = settings.MaxConcurrentReconciles },
            manager.Loggers.CreateLogger("MedOps.Controllers.TrainingJob"));
        controller
            .Owns(informers.Pods)
            .Owns(informers.Services)
            .Owns(informers.NetworkPolicies)
            // A job Stalled on a missing claim starts when the claim is created.
            .Watches(informers.Claims, informers.JobsUsing);
        manager.Add(controller);
        return controller;
    }
}
