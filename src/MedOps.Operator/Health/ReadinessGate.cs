using System.Collections.Concurrent;

namespace MedOps.Operator.Health;

/// <summary>
/// The named checks behind <c>/readyz</c>. Components register a check (for example
/// <c>informers-synced</c>: <c>() =&gt; cache.HasSynced</c>); the process is ready only when every
/// registered check passes. One instance per process, taken from dependency injection.
/// </summary>
public sealed class ReadinessGate
{
    private readonly ConcurrentDictionary<string, Func<bool>> checks = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds a check. <paramref name="isReady"/> is called on every probe, so it must be cheap and
    /// must not block; a check that throws counts as not ready. Dispose the result to remove it.
    /// </summary>
    /// <exception cref="ArgumentException">A check with this name is already registered.</exception>
    public IDisposable Register(string name, Func<bool> isReady)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(isReady);
        if (!checks.TryAdd(name, isReady))
        {
            throw new ArgumentException($"a readiness check named \"{name}\" is already registered", nameof(name));
        }

        return new Registration(this, name, isReady);
    }

    /// <summary>Runs every check, in name order.</summary>
    public IReadOnlyList<ReadinessCheckResult> Evaluate() =>
        checks.OrderBy(check => check.Key, StringComparer.Ordinal)
            .Select(check => Run(check.Key, check.Value))
            .ToList();

    /// <summary>True when every registered check passes (also when none is registered).</summary>
    public bool IsReady => Evaluate().All(result => result.IsReady);

    private static ReadinessCheckResult Run(string name, Func<bool> check)
    {
        try
        {
            return check() ? new(name, true, null) : new(name, false, "not ready");
        }
        catch (Exception exception)
        {
            return new(name, false, exception.Message);
        }
    }

    private sealed class Registration(ReadinessGate gate, string name, Func<bool> check) : IDisposable
    {
        // Removes only this registration's check, so that disposing twice never removes a later
        // registration under the same name.
        public void Dispose() => gate.checks.TryRemove(new KeyValuePair<string, Func<bool>>(name, check));
    }
}

/// <summary>The outcome of one readiness check.</summary>
/// <param name="Name">The name it was registered under.</param>
/// <param name="IsReady">Whether it passed.</param>
/// <param name="Reason">Why it failed; null when it passed.</param>
public sealed record ReadinessCheckResult(string Name, bool IsReady, string? Reason);
