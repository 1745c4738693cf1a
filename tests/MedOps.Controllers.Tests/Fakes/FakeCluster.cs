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

    /// <summary>A PersistentVolumeClaim as the claims informer would cache it.</summary>
    public static V1PersistentVolumeClaim Claim(string @namespace, string name) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Uid = name + "-uid" } };

    /// <summary>The condition of <paramref name="type"/> in a status as the fake server received it.</summary>
    public static System.Text.Json.Nodes.JsonObject Condition(System.Text.Json.Nodes.JsonObject status, string type) =>
        status["conditions"]!.AsArray().Select(c => c!.AsObject()).Single(c => c["type"]!.GetValue<string>() == type);

    public void Dispose()
    {
        Manager.Dispose();
        Server.Dispose();
    }
}
