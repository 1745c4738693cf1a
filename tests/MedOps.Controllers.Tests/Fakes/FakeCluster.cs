using k8s;
using k8s.Models;
using MedOps.Runtime;
using MedOps.Runtime.Informers;
using MedOps.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Controllers.Tests.Fakes;

/// <summary>
/// A manager whose client talks to a <see cref="FakeApiServer"/>, and a fake clock: what a
/// reconciler unit test needs. Informers are never started; the test puts objects into their
/// caches with <see cref="Seed{T}"/>, as a watch would.
/// </summary>
internal sealed class FakeCluster : IDisposable
{
    public FakeCluster()
    {
        Manager = new Manager(new KubernetesClientConfiguration { Host = "https://127.0.0.1:6443" },
            new ManagerOptions { Qps = 0, LiftRateLimitWhenServerHasFairness = false, Transport = Server }, NullLoggerFactory.Instance);
    }

    public FakeApiServer Server { get; } = new();

    public Manager Manager { get; }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Puts <paramref name="objects"/> into <paramref name="informer"/>'s cache.</summary>
    public static void Seed<T>(Informer<T> informer, params T[] objects)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        foreach (var obj in objects)
        {
            informer.Cache.Upsert(obj);
        }
    }

    public void Dispose()
    {
        Manager.Dispose();
        Server.Dispose();
    }
}
