using System.Threading.Channels;
using k8s;
using k8s.Models;
using MedOps.Runtime.Api;
using MedOps.Runtime.Writes;
using Microsoft.Extensions.Logging;

namespace MedOps.Runtime.Events;

/// <summary>
/// Records core/v1 Events about objects, as client-go's recorder does, but de-duplicated: the
/// same (object, type, reason, message) within <see cref="RepeatWindow"/> is written once, and
/// later repeats only bump the count, at most once per window. <c>kubectl describe</c> stays
/// readable and a failing loop cannot flood the apiserver. Writes happen off the reconcile path.
/// </summary>
public sealed class EventRecorder
{
    /// <summary>Within this window an identical event is not written again.</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(5);

    private static readonly ResourceType EventType = ResourceType.For<Corev1Event>();
    private readonly KubeApi api;
    private readonly string component;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly Channel<Corev1Event> pending = Channel.CreateBounded<Corev1Event>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Dictionary<(string Uid, string Type, string Reason, string Message), Seen> seen = [];

    /// <summary>Creates a recorder whose events name <paramref name="component"/> as their source.</summary>
    public EventRecorder(KubeApi api, string component, ILogger logger, TimeProvider? time = null)
    {
        this.api = api;
        this.component = component;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>Records a Normal event.</summary>
    public void Normal(IKubernetesObject<V1ObjectMeta> obj, string reason, string message) => Record(obj, "Normal", reason, message);

    /// <summary>Records a Warning event.</summary>
    public void Warning(IKubernetesObject<V1ObjectMeta> obj, string reason, string message) => Record(obj, "Warning", reason, message);

    /// <summary>
    /// The one event policy for children: one Normal event per reconcile that changed any
    /// (<see cref="ChildChanges.Reason"/>, listing every change), none when nothing changed.
    /// </summary>
    public void ChildrenChanged(IKubernetesObject<V1ObjectMeta> owner, ChildChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Any)
        {
            Normal(owner, changes.Reason, changes.Message);
        }
    }

    /// <summary>Writes queued events until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var ev in pending.Reader.ReadAllAsync(cancellationToken))
            {
                await WriteAsync(ev, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: events still queued are dropped, as client-go's broadcaster does.
        }
    }

    /// <summary>Decides whether an event is new, a repeat to count, or a repeat to drop. Internal for tests.</summary>
    internal Corev1Event? Prepare(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var key = (obj.Metadata.Uid ?? obj.Metadata.Name, type, reason, message);
        lock (seen)
        {
            Prune(now);
            if (seen.TryGetValue(key, out var previous))
            {
                previous.Count++;
                if (now - previous.LastWritten < RepeatWindow)
                {
                    return null;
                }
                previous.LastWritten = now;
                return Build(obj, type, reason, message, previous.Name, previous.Count, previous.First, now);
            }
            var name = $"{obj.Metadata.Name}.{Guid.NewGuid():N}"[..Math.Min(63, obj.Metadata.Name.Length + 17)];
            seen[key] = new Seen { Name = name, Count = 1, First = now, LastWritten = now };
            return Build(obj, type, reason, message, name, 1, now, now);
        }
    }

    private void Record(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message)
    {
        if (Prepare(obj, type, reason, message) is { } ev)
        {
            pending.Writer.TryWrite(ev);
        }
    }

    private Corev1Event Build(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message, string name, int count, DateTime first, DateTime now) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = obj.Metadata.NamespaceProperty ?? "default" },
        InvolvedObject = new V1ObjectReference
        {
            ApiVersion = obj.ApiVersion,
            Kind = obj.Kind,
            Name = obj.Metadata.Name,
            NamespaceProperty = obj.Metadata.NamespaceProperty,
            Uid = obj.Metadata.Uid,
            ResourceVersion = obj.Metadata.ResourceVersion,
        },
        Type = type,
        Reason = reason,
        Message = message,
        Count = count,
        FirstTimestamp = first,
        LastTimestamp = now,
        Source = new V1EventSource { Component = component },
        ReportingComponent = component,
    };

    private async Task WriteAsync(Corev1Event ev, CancellationToken cancellationToken)
    {
        try
        {
            if (ev.Count == 1)
            {
                await api.CreateAsync(EventType, ev.Metadata.NamespaceProperty, ev, cancellationToken);
            }
            else
            {
                var patch = KubernetesJson.Serialize(new { count = ev.Count, lastTimestamp = ev.LastTimestamp });
                await api.MergePatchAsync<Corev1Event>(EventType, ev.Metadata.NamespaceProperty, ev.Metadata.Name, patch, cancellationToken: cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Events are best effort (an expired event, a namespace being deleted).
            logger.LogDebug("could not write event {Reason} for {Object}: {Error}", ev.Reason, ev.InvolvedObject.Name, ex.Message);
        }
    }

    // Keeps memory bounded: entries older than an hour are forgotten (Events expire after 1 h anyway).
    private void Prune(DateTime now)
    {
        if (seen.Count < 4096)
        {
            return;
        }
        foreach (var key in seen.Where(p => now - p.Value.LastWritten > TimeSpan.FromHours(1)).Select(p => p.Key).ToList())
        {
            seen.Remove(key);
        }
    }

    private sealed class Seen
    {
        public required string Name { get; init; }

        public int Count { get; set; }

        public DateTime First { get; init; }

        public DateTime LastWritten { get; set; }
    }
}
