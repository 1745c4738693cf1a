using k8s.Models;
using MedOps.Runtime;
using MedOps.Runtime.Controllers;
using MedOps.Runtime.Informers;
using MedOps.Runtime.Status;

namespace MedOps.IntegrationTests.Runtime;

/// <summary>
/// A minimal reconciler in the shape MedOps controllers take: desired child from the spec,
/// applied through the runtime's applier, status through the status writer. Spec flags make it
/// throw (poison) or hang past its timeout.
/// </summary>
internal sealed class WidgetReconciler(Manager manager, Informer<V1ConfigMap> children) : IReconciler<Widget>
{
    public const string ManagedBy = "app.kubernetes.io/managed-by=medops-operator";

    public const string Finalizer = "runtime.test.medops.io/cleanup";

    /// <summary>Widgets whose finalizer ran (cleanup seen by the test).</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> CleanedUp = new();

    public async Task<ReconcileResult> ReconcileAsync(Widget widget, CancellationToken cancellationToken)
    {
        if (widget.Spec.Poison)
        {
            throw new InvalidOperationException($"widget {widget.Metadata.Name} is poisoned");
        }
        if (widget.Spec.Hang)
        {
            // Ignores its cancellation token on purpose: the worst case for the controller.
            await Task.Delay(Timeout.InfiniteTimeSpan, CancellationToken.None);
        }
        if (widget.Metadata.DeletionTimestamp is not null)
        {
            CleanedUp[$"{widget.Metadata.NamespaceProperty}/{widget.Metadata.Name}"] = true;
            await manager.Finalizers.RemoveAsync(widget, Finalizer, cancellationToken);
            return ReconcileResult.Done;
        }
        if (widget.Spec.Finalizer && await manager.Finalizers.EnsureAsync(widget, Finalizer, cancellationToken))
        {
            // The patch's watch event brings the new version back for the rest of the work.
            return ReconcileResult.Done;
        }
        var desired = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = widget.Metadata.Name + "-data",
                NamespaceProperty = widget.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "medops-operator" },
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = widget.ApiVersion, Kind = widget.Kind, Name = widget.Metadata.Name,
                        Uid = widget.Metadata.Uid, Controller = true, BlockOwnerDeletion = true,
                    },
                ],
            },
            Data = new Dictionary<string, string> { ["message"] = widget.Spec.Message },
        };
        await manager.Applier.ApplyAsync(desired, children.Cache.Get(desired.Metadata.NamespaceProperty, desired.Metadata.Name), cancellationToken);

        var status = new WidgetStatus
        {
            ObservedGeneration = widget.Metadata.Generation,
            Conditions = Conditions.Set(widget.Status?.Conditions, Conditions.Ready, true, "Reconciled", "child in place", widget.Metadata.Generation, DateTime.UtcNow),
        };
        await manager.Status.UpdateAsync(widget, widget.Status, status, cancellationToken);
        return ReconcileResult.Done;
    }
}
