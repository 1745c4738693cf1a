using System.Collections.Concurrent;
using System.Diagnostics;
using k8s.Models;
using MedOps.Api.V1Alpha1;
using MedOps.Runtime.Api;
using MedOps.Runtime.Informers;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Benchmarks;

/// <summary>
/// Watches one namespace and notes, per model, when its Deployment, Service, NetworkPolicy and
/// a status for its generation were first seen. Watches, not polled lists: a poll of 1,000
/// custom resources every 250 ms costs the apiserver about a second of CPU each time and
/// would slow the very writes being measured (seen in the audit log of the first runs).
/// </summary>
internal sealed class ConvergenceObserver : IAsyncDisposable
{
    private readonly Stopwatch clock;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private readonly ConcurrentDictionary<string, TimeSpan> deployments = new();
    private readonly ConcurrentDictionary<string, TimeSpan> services = new();
    private readonly ConcurrentDictionary<string, TimeSpan> policies = new();
    private readonly ConcurrentDictionary<string, TimeSpan> statuses = new();
    private readonly ConcurrentDictionary<string, TimeSpan> converged = new();

    private ConvergenceObserver(Stopwatch clock) => this.clock = clock;

    /// <summary>When each model's Deployment was first seen, on the shared clock.</summary>
    public IReadOnlyDictionary<string, TimeSpan> DeploymentSeen => deployments;

    /// <summary>When each model's status for its generation was first seen.</summary>
    public IReadOnlyDictionary<string, TimeSpan> StatusSeen => statuses;

    /// <summary>When each model had all three children and its status.</summary>
    public IReadOnlyDictionary<string, TimeSpan> ConvergedAt => converged;

    /// <summary>Starts watching <paramref name="namespace"/>; returns once every watch has listed.</summary>
    public static async Task<ConvergenceObserver> StartAsync(KubeApi api, string @namespace, Stopwatch clock)
    {
        var observer = new ConvergenceObserver(clock);
        var models = observer.Watch<V1Alpha1MedicalModel>(api, @namespace, observer.statuses,
            m => m.Status?.ObservedGeneration is { } g && g == m.Metadata.Generation);
        var informers = new IInformer[]
        {
            models,
            observer.Watch<V1Deployment>(api, @namespace, observer.deployments, _ => true),
            observer.Watch<V1Service>(api, @namespace, observer.services, _ => true),
            observer.Watch<V1NetworkPolicy>(api, @namespace, observer.policies, _ => true),
        };
        while (!informers.All(i => i.HasSynced))
        {
            await Task.Delay(20);
        }
        return observer;
    }

    /// <summary>Waits until <paramref name="count"/> models have converged.</summary>
    public async Task WaitConvergedAsync(int count, TimeSpan timeout)
    {
        var deadline = clock.Elapsed + timeout;
        while (converged.Count < count)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"{converged.Count}/{count} models converged in {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Converged models over time, for the chart: one point per model, in order.</summary>
    public IReadOnlyList<(double Seconds, int Converged)> ConvergenceCurve(TimeSpan from) =>
        [.. converged.Values.Order().Select((t, i) => ((t - from).TotalSeconds, i + 1))];

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        stop.Dispose();
    }

    private Informer<T> Watch<T>(KubeApi api, string @namespace, ConcurrentDictionary<string, TimeSpan> seen, Func<T, bool> counts)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var informer = new Informer<T>(api, ResourceType.For<T>(), @namespace, null, NullLogger.Instance);
        informer.AddHandler(e =>
        {
            if (e.Kind != InformerEventKind.Deleted && counts(e.Object) && seen.TryAdd(e.Object.Metadata.Name, clock.Elapsed))
            {
                NoteIfConverged(e.Object.Metadata.Name);
            }
        });
        loops.Add(Task.Run(() => informer.RunAsync(stop.Token)));
        return informer;
    }

    // All children of a model share its name (the builders' convention).
    private void NoteIfConverged(string name)
    {
        if (statuses.ContainsKey(name) && deployments.ContainsKey(name) && services.ContainsKey(name) && policies.ContainsKey(name))
        {
            converged.TryAdd(name, clock.Elapsed);
        }
    }
}
