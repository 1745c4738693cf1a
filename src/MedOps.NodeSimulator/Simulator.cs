using k8s;
using MedOps.NodeSimulator.Kube;
using MedOps.NodeSimulator.KubeVirt;
using MedOps.NodeSimulator.Nodes;
using MedOps.NodeSimulator.Pods;
using MedOps.NodeSimulator.Storage;

namespace MedOps.NodeSimulator;

/// <summary>
/// Plays kubelets, KubeVirt, CDI and a storage provisioner against a real control plane that has
/// none of them (the role kwok plays elsewhere): registers simulated CPU and GPU nodes and keeps
/// them Ready, runs the pods bound to them by writing their status (following the convention in
/// docs/node-simulator.md), force-deletes terminating pods, moves VirtualMachines and DataVolumes
/// through their phases (creating each DataVolume's claim, as CDI does), binds PersistentVolumeClaims
/// to simulated PersistentVolumes (of the default StorageClass <c>medops-simulated</c>, which it
/// creates) and expands them when their claims ask for more.
/// Host it in a process of its own (<c>medops-node-simulator</c>) or in-process; never run two
/// against the same cluster.
/// </summary>
public sealed class Simulator
{
    private readonly IKubernetes client;
    private readonly SimulatorOptions options;
    private readonly SimulatorLog log;
    private readonly TimeProvider time;

    /// <summary>Creates a simulator for the cluster behind <paramref name="client"/>.</summary>
    /// <param name="client">An authenticated client; the simulator needs cluster-admin-like rights.</param>
    /// <param name="options">What to simulate.</param>
    /// <param name="log">Where one line per notable action goes; standard output when null.</param>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="SimulatorOptions.Validate"/>).</exception>
    public Simulator(IKubernetes client, SimulatorOptions options, TextWriter? log = null)
        : this(client, options, log ?? Console.Out, TimeProvider.System)
    {
    }

    internal Simulator(IKubernetes client, SimulatorOptions options, TextWriter log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        this.client = client;
        this.options = options;
        this.time = time;
        this.log = new SimulatorLog(log, time);
    }

    /// <summary>The names of the nodes a simulator with these options registers.</summary>
    public static IReadOnlyList<string> NodeNames(SimulatorOptions options) =>
        NodeCatalog.Build(options).Select(n => n.Name).ToList();

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, then returns normally.
    /// While the apiserver is unreachable it keeps retrying.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var nodes = NodeCatalog.Build(options);
        log.Info($"simulator starting: nodes {string.Join(", ", nodes.Select(n => n.Name))}; " +
                 $"startup delay {options.StartupDelay.TotalMilliseconds:0} ms; " +
                 (options.InstallKubeVirtCrds ? "installing the KubeVirt/CDI CRDs if absent" : "not installing the KubeVirt/CDI CRDs") + "; " +
                 (options.SimulateStorage
                     ? $"binding PersistentVolumeClaims (default StorageClass {SimulatedStorageClass.Name})"
                     : "not binding PersistentVolumeClaims"));

        var keeper = new NodeKeeper(client, nodes, log, time);
        try
        {
            await SetUpAsync(keeper, cancellationToken).ConfigureAwait(false);

            await using var virtApi = options.InstallKubeVirtCrds
                ? await VirtApiServer.StartAsync(client, log, time, cancellationToken).ConfigureAwait(false)
                : null;
            using var pods = new PodSimulator(client, nodes, options.StartupDelay, log, time);
            using var kubeVirt = new KubeVirtSimulator(client, nodes, options.StartupDelay, log, time);
            using var storage = new StorageSimulator(client, options.StartupDelay, log, time, options.HostPathRoot);
            await Task.WhenAll(
                keeper.RunHeartbeatsAsync(options.HeartbeatInterval, cancellationToken),
                pods.RunAsync(cancellationToken),
                kubeVirt.RunAsync(cancellationToken),
                options.SimulateStorage ? storage.RunAsync(cancellationToken) : Task.CompletedTask).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        log.Info("simulator stopped");
    }

    /// <summary>
    /// CRDs, the default StorageClass, stale nodes, then our nodes Ready; retried until it all
    /// worked (the apiserver may still be starting). The StorageClass comes before the nodes: tests
    /// wait for the nodes, then create claims that must get the default class at admission.
    /// </summary>
    private async Task SetUpAsync(NodeKeeper keeper, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        var storageClassEnsured = false;
        while (true)
        {
            try
            {
                if (options.InstallKubeVirtCrds)
                {
                    await KubeVirtCrds.InstallMissingAsync(client, log, cancellationToken).ConfigureAwait(false);
                }

                if (options.SimulateStorage && !storageClassEnsured)
                {
                    await SimulatedStorageClass.EnsureAsync(client, log, cancellationToken).ConfigureAwait(false);
                    storageClassEnsured = true;
                }

                await keeper.RemoveSurplusNodesAsync(cancellationToken).ConfigureAwait(false);
                if (await keeper.EnsureAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.Warn($"setting up: {ApiErrors.Describe(e)}");
            }

            var delay = backoff.Next();
            log.Info($"setting up again in {delay.TotalSeconds:0.0} s");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }
}
