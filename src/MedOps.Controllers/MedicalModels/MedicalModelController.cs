using MedOps.Api.V1Alpha1;
using MedOps.Runtime;
using MedOps.Runtime.Controllers;

namespace MedOps.Controllers.MedicalModels;

/// <summary>Wires the MedicalModel controller: informers, owned children, the TrainingJob and claim watches, the reconciler.</summary>
public static class MedicalModelController
{
    /// <summary>The controller's name in metrics and logs.</summary>
    public const string Name = "medicalmodel";

    /// <summary>Creates the controller and adds it to <paramref name="manager"/>.</summary>
    public static Controller<V1Alpha1MedicalModel> Register(Manager manager, ControllerSettings settings, ServedVersions versions)
    {
        var informers = new MedicalModelInformers(manager, versions);
        var reconciler = new MedicalModelReconciler(manager, informers, versions, settings, TimeProvider.System);
        var controller = new Controller<V1Alpha1MedicalModel>(Name, informers.Models, reconciler,
            new ControllerOptions { MaxConcurrentReconciles = settings.MaxConcurrentReconciles },
            manager.Loggers.CreateLogger("MedOps.Controllers.MedicalModel"));
        controller
            .Owns(informers.Deployments)
            .Owns(informers.Services)
            .Owns(informers.Autoscalers)
            .Owns(informers.DisruptionBudgets)
            .Owns(informers.NetworkPolicies)
            // A model waiting for its TrainingJob starts serving when the job succeeds.
            .Watches(informers.TrainingJobs, informers.ModelsReferencing)
            // A model Stalled on a missing claim starts serving when the claim is created.
            .Watches(informers.Claims, informers.ModelsUsing)
            // A Clinical model serves once approved, and stops when its approval is deleted.
            .Watches(informers.Approvals, MedicalModelInformers.ModelApprovedBy)
            // The status says why a server pod does not serve (initializer, image, crash, scheduling, probe).
            .Watches(informers.Pods, MedicalModelInformers.ModelOfServerPod);
        manager.Add(controller);
        return controller;
    }
}
