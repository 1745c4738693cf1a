using System.Globalization;
using k8s.Models;
using MedOps.Operator.LeaderElection;

namespace MedOps.Operator.Tests.TestSupport;

/// <summary>
/// One Lease in memory with the API server's optimistic concurrency: every write needs the current
/// resourceVersion and bumps it. Failures can be switched on to imitate an unreachable API server.
/// </summary>
internal sealed class FakeLeaseStore : ILeaseStore
{
    private readonly Lock gate = new();
    private V1Lease? lease;
    private int version;

    /// <summary>When true, every call throws as a failed request would.</summary>
    public bool Unreachable { get; set; }

    /// <summary>Called with every spec written through the store (not by <see cref="Overwrite"/>).</summary>
    public Action<V1LeaseSpec>? OnWrite { get; set; }

    /// <summary>Every spec successfully written, in order.</summary>
    public List<V1LeaseSpec> Writes { get; } = [];

    public V1Lease? Current
    {
        get
        {
            lock (gate)
            {
                return lease is null ? null : Copy(lease);
            }
        }
    }

    public Task<V1Lease?> GetAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return Task.FromResult(Current);
    }

    public Task<V1Lease?> CreateAsync(V1Lease newLease, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        lock (gate)
        {
            if (lease is not null)
            {
                return Task.FromResult<V1Lease?>(null);
            }

            lease = Stamp(newLease);
            OnWrite?.Invoke(newLease.Spec);
            return Task.FromResult<V1Lease?>(Copy(lease));
        }
    }

    public Task<V1Lease?> ReplaceAsync(V1Lease replacement, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        lock (gate)
        {
            if (lease is null || lease.Metadata.ResourceVersion != replacement.Metadata?.ResourceVersion)
            {
                return Task.FromResult<V1Lease?>(null);
            }

            lease = Stamp(replacement);
            OnWrite?.Invoke(replacement.Spec);
            return Task.FromResult<V1Lease?>(Copy(lease));
        }
    }

    /// <summary>Writes the Lease as another process (or kubectl) would, ignoring concurrency.</summary>
    public void Overwrite(V1LeaseSpec spec)
    {
        lock (gate)
        {
            lease = Stamp(new V1Lease { Metadata = new V1ObjectMeta { Name = "medops-operator" }, Spec = spec });
        }
    }

    private V1Lease Stamp(V1Lease source)
    {
        version++;
        Writes.Add(source.Spec with { });
        var stored = Copy(source);
        stored.Metadata ??= new V1ObjectMeta();
        stored.Metadata.ResourceVersion = version.ToString(CultureInfo.InvariantCulture);
        return stored;
    }

    private static V1Lease Copy(V1Lease source) => new()
    {
        ApiVersion = source.ApiVersion,
        Kind = source.Kind,
        Metadata = new V1ObjectMeta
        {
            Name = source.Metadata?.Name,
            NamespaceProperty = source.Metadata?.NamespaceProperty,
            ResourceVersion = source.Metadata?.ResourceVersion,
        },
        Spec = source.Spec with { },
    };

    private void ThrowIfUnreachable()
    {
        if (Unreachable)
        {
            throw new HttpRequestException("Connection refused (127.0.0.1:6443)");
        }
    }
}
