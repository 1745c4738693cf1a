using MedOps.Api.V1Alpha1;
using MedOps.Runtime;
using MedOps.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace MedOps.Controllers.Workspaces;

/// <summary>
/// Finds KubeVirt and CDI for the Workspace controller, outside reconcile time. KubeVirt is an
/// optional dependency that may be installed (or appear) at any time, so its informers cannot be
/// created up front: an informer for a kind that is not served never syncs and would hold back
/// every controller and /readyz. Once a workspace asks (<see cref="Request"/>), this runs
/// discovery, then again every <see cref="Recheck"/> while KubeVirt is missing. When it is
/// served, it creates the VirtualMachine and DataVolume informers, waits for them to sync,
/// registers the controller's watches of them, publishes them to
/// <see cref="WorkspaceInformers.KubeVirt"/> and brings every workspace back. Reconcilers never
/// ask discovery, never wait for a cache, and never rewire their controller.
/// Runs while the replica leads, like the controllers (it is one to the manager).
/// </summary>
public sealed class KubeVirtDiscovery : IController
{
    /// <summary>How often discovery is asked again while KubeVirt is missing.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan SyncPoll = TimeSpan.FromMilliseconds(50);

    private readonly Manager manager;
    private readonly WorkspaceInformers informers;
    private readonly ILogger logger;
    private Controller<V1Alpha1Workspace>? controller;
    private readonly SemaphoreSlim asked = new(0, 1);
    private volatile string? missing;
    private volatile bool answered;

    /// <summary>Creates the discovery; name its controller with <see cref="ServeController"/>, then add it to the manager.</summary>
    public KubeVirtDiscovery(Manager manager, WorkspaceInformers informers)
    {
        ArgumentNullException.ThrowIfNull(manager);
        this.manager = manager;
        this.informers = informers;
        logger = manager.Loggers.CreateLogger("MedOps.Controllers.Workspace.KubeVirtDiscovery");
    }

    /// <summary>The controller whose watches this registers and whose workspaces it brings back.</summary>
    public void ServeController(Controller<V1Alpha1Workspace> workspaces) => controller = workspaces;

    /// <inheritdoc/>
    public string Name => "workspace-kubevirt-discovery";

    /// <summary>True once discovery has answered at least once.</summary>
    public bool Answered => answered;

    /// <summary>What the cluster did not serve at the last answer (null when everything was served, or before any answer).</summary>
    public string? Missing => missing;

    /// <summary>Asks for discovery to run now (a workspace needs KubeVirt); returns at once.</summary>
    public void Request()
    {
        if (asked.CurrentCount == 0)
        {
            try
            {
                asked.Release();
            }
            catch (SemaphoreFullException)
            {
                // Asked already: one pending request is enough.
            }
        }
    }

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var controller = this.controller ?? throw new InvalidOperationException("ServeController was not called");
        try
        {
            await asked.WaitAsync(cancellationToken).ConfigureAwait(false);
            KubeVirtInformers? kubeVirt = null;
            while (kubeVirt is null)
            {
                try
                {
                    missing = await informers.FindMissingKubeVirtAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // An API server outage (or a timed-out request) must not end the controllers: ask again later.
                    logger.LogWarning(ex, "KubeVirt discovery failed; asking again in {Seconds} s", Recheck.TotalSeconds);
                    await Task.Delay(Recheck, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var first = !answered;
                answered = true;
                if (missing is null)
                {
                    kubeVirt = informers.CreateKubeVirtInformers();
                    break;
                }
                if (first)
                {
                    logger.LogInformation("KubeVirt is not installed ({Missing} not served); asking again every {Seconds} s", missing, Recheck.TotalSeconds);
                    EnqueueAllWorkspaces(controller);
                }
                await Task.Delay(Recheck, cancellationToken).ConfigureAwait(false);
            }
            while (!(kubeVirt.VirtualMachines.HasSynced && kubeVirt.DataVolumes.HasSynced))
            {
                await Task.Delay(SyncPoll, cancellationToken).ConfigureAwait(false);
            }
            controller
                .Owns(kubeVirt.VirtualMachines)
                // The DataVolume is owned by the VM, not the workspace: map it by its label.
                .Watches(kubeVirt.DataVolumes, WorkspaceInformers.WorkspaceOf);
            informers.Publish(kubeVirt);
            logger.LogInformation("KubeVirt and CDI are served; watching VirtualMachines and DataVolumes");
            EnqueueAllWorkspaces(controller);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void EnqueueAllWorkspaces(Controller<V1Alpha1Workspace> controller)
    {
        foreach (var key in informers.Workspaces.Cache.Keys())
        {
            controller.Queue.Add(key);
        }
    }
}
