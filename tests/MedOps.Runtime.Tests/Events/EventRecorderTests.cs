using k8s.Models;
using MedOps.Runtime.Api;
using MedOps.Runtime.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace MedOps.Runtime.Tests.Events;

public sealed class EventRecorderTests
{
    private static readonly V1ConfigMap Subject = new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "cm", NamespaceProperty = "ns", Uid = "u1" },
    };

    [Fact]
    public void An_identical_event_within_the_window_is_written_once_then_counted_after_it()
    {
        var time = new ManualClock();
        var recorder = new EventRecorder(new KubeApi(new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "https://127.0.0.1:1" })), "medops-operator", NullLogger.Instance, time);

        var first = recorder.Prepare(Subject, "Warning", "InvalidSpec", "bad");
        Assert.NotNull(first);
        Assert.Equal(1, first.Count);
        Assert.Null(recorder.Prepare(Subject, "Warning", "InvalidSpec", "bad"));
        Assert.Null(recorder.Prepare(Subject, "Warning", "InvalidSpec", "bad"));

        time.Now += EventRecorder.RepeatWindow;
        var repeat = recorder.Prepare(Subject, "Warning", "InvalidSpec", "bad");
        Assert.NotNull(repeat);
        Assert.Equal(4, repeat.Count);
        Assert.Equal(first.Metadata.Name, repeat.Metadata.Name);
    }

    [Fact]
    public void A_different_message_is_a_different_event()
    {
        var recorder = new EventRecorder(new KubeApi(new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "https://127.0.0.1:1" })), "medops-operator", NullLogger.Instance, new ManualClock());
        Assert.NotNull(recorder.Prepare(Subject, "Warning", "InvalidSpec", "bad"));
        Assert.NotNull(recorder.Prepare(Subject, "Warning", "InvalidSpec", "worse"));
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
