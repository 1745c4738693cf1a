using k8s.Autorest;
using k8s.Models;

namespace MedOps.Operator.LeaderElection;

/// <summary>
/// client-go's Lease leader election, written over <see cref="ILeaseStore"/> instead of using
/// KubernetesClient's <c>LeaderElector</c>, whose renew loop keeps running after it reports a loss,
/// which cannot release the Lease on shutdown, and whose acquire attempts are abandoned on a timer
/// while still in flight (kubernetes-client/csharp issues 1599 and 1640).
/// </summary>
/// <remarks>
/// Expiry is judged on this process's monotonic clock from the moment it last saw the Lease change
/// (its resourceVersion), never from the renewTime written by another machine, so clock skew between
/// replicas cannot cause two leaders. A released Lease (empty holder) can be taken at once.
/// </remarks>
internal sealed class LeaseElector(ILeaseStore store, LeaderElectionSettings settings, TimeProvider time, ILogger<LeaseElector> logger)
{
    /// <summary>
    /// Jitter between acquire attempts, so that standbys do not poll in step: wait RetryPeriod ×
    /// (1 + 0.5 × random). client-go uses 1.2; the smaller factor keeps takeover after a crash within
    /// the lease duration plus two retry periods.
    /// </summary>
    private const double JitterFactor = 0.5;

    private readonly Lock gate = new();
    private V1Lease? observed;
    private long observedAt;
    private long lastRenewedAt;
    private string? reportedHolder;

    /// <summary>The outcome of one acquire-or-renew attempt.</summary>
    internal enum Attempt
    {
        /// <summary>This process holds the Lease now (acquired or renewed).</summary>
        Leading,

        /// <summary>Another process holds a Lease that has not expired.</summary>
        HeldByOther,

        /// <summary>A concurrent write won (conflict) or the request failed; try again later.</summary>
        Contended,

        /// <summary>The attempt used up its time budget (a hung or very slow API server).</summary>
        TimedOut,
    }

    /// <summary>True while the last Lease this process saw names it as holder.</summary>
    public bool IsLeader
    {
        get
        {
            lock (gate)
            {
                return observed?.Spec?.HolderIdentity == settings.Identity;
            }
        }
    }

    /// <summary>Tries to acquire every retry period (with jitter) until this process holds the Lease.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await TryWithinAsync(settings.RenewDeadline, cancellationToken).ConfigureAwait(false) == Attempt.Leading)
            {
                return;
            }

            var jitter = settings.RetryPeriod * JitterFactor * Random.Shared.NextDouble();
            await Task.Delay(settings.RetryPeriod + jitter, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Renews every retry period. Returns (normally) when leadership is lost: another process holds
    /// the Lease, or no renewal succeeded within the renew deadline since the last one.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (a stop, not a loss).</exception>
    public async Task HoldAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(settings.RetryPeriod, time, cancellationToken).ConfigureAwait(false);

            // Measured from the start of the last successful attempt: the renewTime it wrote is no
            // later than that, so the standbys' view of expiry can only be later than ours.
            var remaining = settings.RenewDeadline - time.GetElapsedTime(Volatile.Read(ref lastRenewedAt));
            var outcome = remaining > TimeSpan.Zero
                ? await TryWithinAsync(remaining, cancellationToken).ConfigureAwait(false)
                : Attempt.TimedOut;

            if (outcome == Attempt.HeldByOther)
            {
                logger.LogError("Lease {Namespace}/{Name} is now held by {Holder}", settings.Namespace, settings.LeaseName, reportedHolder);
                return;
            }

            // Checked right after a failed attempt, not one retry period later: every second
            // between here and the standbys' expiry is margin against two leaders.
            if (outcome == Attempt.TimedOut
                || (outcome == Attempt.Contended && time.GetElapsedTime(Volatile.Read(ref lastRenewedAt)) >= settings.RenewDeadline))
            {
                logger.LogError("Failed to renew lease {Namespace}/{Name} within the renew deadline {RenewDeadline}", settings.Namespace, settings.LeaseName, settings.RenewDeadline);
                Forget();
                return;
            }
        }
    }

    /// <summary>
    /// Gives the Lease up if this process holds it: empty holder, a one-second duration, so that a
    /// standby acquires it on its next attempt instead of waiting out the lease duration. Call only
    /// after all leader-only work has stopped.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        V1Lease? current;
        lock (gate)
        {
            current = observed?.Spec?.HolderIdentity == settings.Identity ? observed : null;
        }

        if (current is null)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var released = WithSpec(current, new V1LeaseSpec
        {
            HolderIdentity = "",
            LeaseDurationSeconds = 1,
            AcquireTime = now,
            RenewTime = now,
            LeaseTransitions = current.Spec.LeaseTransitions,
        });

        try
        {
            var stored = await store.ReplaceAsync(released, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                logger.LogWarning("Lease {Namespace}/{Name} changed before it could be released; leaving it as it is", settings.Namespace, settings.LeaseName);
                return;
            }

            Observe(stored);
            logger.LogInformation("Released lease {Namespace}/{Name}", settings.Namespace, settings.LeaseName);
        }
        catch (Exception exception)
        {
            // Never fatal: the process is stopping anyway, and the Lease still expires by itself.
            var cause = exception is OperationCanceledException ? "timed out" : Describe(exception);
            logger.LogWarning("Could not release lease {Namespace}/{Name}; a standby takes over once it expires: {Error}", settings.Namespace, settings.LeaseName, cause);
        }
    }

    /// <summary>One attempt to acquire or renew, as client-go's <c>tryAcquireOrRenew</c>.</summary>
    internal async Task<Attempt> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var startedAt = time.GetTimestamp();
        var now = time.GetUtcNow().UtcDateTime;
        var current = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            var created = await store.CreateAsync(NewLease(now), cancellationToken).ConfigureAwait(false);
            return created is null ? Attempt.Contended : Leading(created, startedAt);
        }

        Observe(current);
        var spec = current.Spec ?? new V1LeaseSpec();
        var holdsIt = spec.HolderIdentity == settings.Identity;
        if (!holdsIt && !string.IsNullOrEmpty(spec.HolderIdentity) && !HasExpired(spec))
        {
            return Attempt.HeldByOther;
        }

        var renewed = WithSpec(current, new V1LeaseSpec
        {
            HolderIdentity = settings.Identity,
            LeaseDurationSeconds = LeaseDurationSeconds,
            AcquireTime = holdsIt ? spec.AcquireTime ?? now : now,
            RenewTime = now,
            LeaseTransitions = holdsIt ? spec.LeaseTransitions ?? 0 : (spec.LeaseTransitions ?? 0) + 1,
        });
        var stored = await store.ReplaceAsync(renewed, cancellationToken).ConfigureAwait(false);
        return stored is null ? Attempt.Contended : Leading(stored, startedAt);
    }

    private int LeaseDurationSeconds => (int)Math.Ceiling(settings.LeaseDuration.TotalSeconds);

    private async Task<Attempt> TryWithinAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Each attempt is bounded, so that one hung request cannot outlive the renew deadline
        // (controller-runtime #3027): a leader must notice its loss before a standby can take over.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            return await TryAcquireOrRenewAsync(attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Attempt on lease {Namespace}/{Name} timed out after {Timeout}", settings.Namespace, settings.LeaseName, timeout);
            return Attempt.TimedOut;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning("Attempt on lease {Namespace}/{Name} failed: {Error}", settings.Namespace, settings.LeaseName, Describe(exception));
            return Attempt.Contended;
        }
    }

    private Attempt Leading(V1Lease stored, long startedAt)
    {
        Observe(stored);
        Volatile.Write(ref lastRenewedAt, startedAt);
        return Attempt.Leading;
    }

    private bool HasExpired(V1LeaseSpec spec)
    {
        var duration = spec.LeaseDurationSeconds is > 0 ? TimeSpan.FromSeconds(spec.LeaseDurationSeconds.Value) : settings.LeaseDuration;
        lock (gate)
        {
            return time.GetElapsedTime(observedAt) >= duration;
        }
    }

    private void Observe(V1Lease lease)
    {
        string? newHolder = null;
        lock (gate)
        {
            if (observed?.Metadata?.ResourceVersion != lease.Metadata?.ResourceVersion)
            {
                observedAt = time.GetTimestamp();
            }

            observed = lease;
            var holder = lease.Spec?.HolderIdentity;
            if (holder != reportedHolder)
            {
                reportedHolder = holder;
                newHolder = holder;
            }
        }

        if (!string.IsNullOrEmpty(newHolder))
        {
            logger.LogInformation("Lease {Namespace}/{Name} is held by {Holder}", settings.Namespace, settings.LeaseName, newHolder);
        }
    }

    private void Forget()
    {
        // After a loss this process must not believe it leads, even if its last write is still the
        // newest the API server has: ReleaseAsync must not touch a Lease another process may own.
        lock (gate)
        {
            observed = null;
        }
    }

    private V1Lease NewLease(DateTime now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta { Name = settings.LeaseName, NamespaceProperty = settings.Namespace },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = settings.Identity,
            LeaseDurationSeconds = LeaseDurationSeconds,
            AcquireTime = now,
            RenewTime = now,
            LeaseTransitions = 0,
        },
    };

    private static V1Lease WithSpec(V1Lease lease, V1LeaseSpec spec) => new()
    {
        ApiVersion = lease.ApiVersion ?? "coordination.k8s.io/v1",
        Kind = lease.Kind ?? "Lease",
        Metadata = lease.Metadata,
        Spec = spec,
    };

    private static string Describe(Exception exception) => exception switch
    {
        HttpOperationException { Response: { } response } =>
            $"{(int)response.StatusCode} {response.StatusCode}: {Shorten(response.Content)}",
        _ => exception.Message,
    };

    private static string Shorten(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.Length <= 300 ? text : text[..300] + "…";
}
