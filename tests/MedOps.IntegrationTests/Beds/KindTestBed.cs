using System.Reflection;
using k8s;
using k8s.Models;
using MedOps.Testing;

namespace MedOps.IntegrationTests.Beds;

/// <summary>
/// An <see cref="OperatorTestBed"/> for the tests of one MedOps kind: reads the kind's objects,
/// waits on them (the operator's log in the failure message) and lists their events.
/// </summary>
internal abstract class KindTestBed<TResource> : OperatorTestBed
    where TResource : IKubernetesObject
{
    private static readonly string Kind =
        typeof(TResource).GetCustomAttribute<KubernetesEntityAttribute>()?.Kind
            ?? throw new InvalidOperationException($"{typeof(TResource).Name} has no [KubernetesEntity]");

    private readonly TimeSpan timeout;

    /// <summary>A bed in <paramref name="ns"/> whose <see cref="WaitAsync"/> waits <paramref name="timeout"/> unless told otherwise.</summary>
    protected KindTestBed(LocalCluster cluster, TestNamespace ns, TimeSpan timeout)
        : base(cluster, ns) => this.timeout = timeout;

    public Task<TResource> GetAsync(string name) => GetObjectAsync<TResource>(name);

    public Task<TResource> WaitAsync(string name, Func<TResource, bool> condition, string because, TimeSpan? timeout = null) =>
        WaitForAsync(() => GetAsync(name), condition, timeout ?? this.timeout, because);

    /// <summary>The events about the object <paramref name="name"/> of this kind with <paramref name="reason"/>.</summary>
    public Task<IReadOnlyList<Corev1Event>> EventsAsync(string name, string reason) => EventsAsync(Kind, name, reason);

    /// <summary>The events about the object <paramref name="name"/> of this kind with <paramref name="reason"/>, once there is at least one (that <paramref name="match"/> accepts).</summary>
    public Task<IReadOnlyList<Corev1Event>> WaitForEventsAsync(string name, string reason, Func<Corev1Event, bool>? match = null, string? what = null) =>
        WaitForEventsAsync(Kind, name, reason, match, what);
}
